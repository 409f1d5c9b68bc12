package io.dflow.executor.protocol;

import io.dflow.executor.net.Connection;
import io.dflow.executor.net.MessageHandler;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the control frames of a connection and hands each message to a {@link Receiver}: the
 * one decode-and-dispatch path of the driver and of executors. A frame that is not a control
 * message of ours is logged and dropped.
 *
 * <p>Threading: called on the connection's event loop; receivers must not block.
 */
public final class ControlEndpoint implements MessageHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ControlEndpoint.class);

  /** What one end does with the messages it gets. */
  public interface Receiver {
    void onMessage(Connection from, ControlMessage message);

    /** The connection closed. */
    default void onClose(Connection connection) {}
  }

  private final String who;
  private final Receiver receiver;

  /** @param who this end, for log lines ({@code driver}, {@code executor exec-1}) */
  public ControlEndpoint(String who, Receiver receiver) {
    this.who = who;
    this.receiver = receiver;
  }

  @Override
  public void onControl(Connection from, byte[] body) {
    ControlMessage message;
    try {
      message = ControlMessage.decode(body);
    } catch (IOException e) {
      LOG.warn("{} got an unreadable control message from {}: {}", who, from, e.getMessage());
      return;
    }
    receiver.onMessage(from, message);
  }

  @Override
  public void onClose(Connection connection) {
    receiver.onClose(connection);
  }
}
