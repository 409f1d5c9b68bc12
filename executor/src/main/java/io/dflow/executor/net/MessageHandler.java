package io.dflow.executor.net;

/**
 * Receives the control messages of a connection. Both ends of a connection have one.
 *
 * <p>Methods are called on the connection's event loop thread, one at a time and in arrival
 * order. They must not block: hand slow work to another executor and reply later through
 * {@link Connection#send}. An exception thrown here is logged and the connection stays open.
 */
public interface MessageHandler {

  /**
   * A control message arrived.
   *
   * @param from the connection it came on; reply through it
   * @param body the message body, owned by the callee from now on
   */
  void onControl(Connection from, byte[] body);

  /** The connection closed (either side, or a failure). Called once, after authentication only. */
  default void onClose(Connection connection) {}
}
