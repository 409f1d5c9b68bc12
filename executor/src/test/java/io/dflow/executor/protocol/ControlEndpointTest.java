package io.dflow.executor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.plan.Action;
import io.dflow.executor.Executor;
import io.dflow.executor.ExecutorConf;
import io.dflow.executor.net.BlockResolver;
import io.dflow.executor.net.Connection;
import io.dflow.executor.net.TransportClient;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.ControlMessage.ForgetStage;
import io.dflow.executor.protocol.ControlMessage.LaunchTasks;
import io.dflow.executor.protocol.ControlMessage.RegisterExecutor;
import io.dflow.executor.protocol.ControlMessage.StatusUpdate;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.serde.JavaSerde;
import io.dflow.executor.task.Tasks;
import io.dflow.planner.Stage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control messages over a real authenticated connection, wired as {@code ExecutorMain} and the
 * driver wire them: each end decodes frames with a {@link ControlEndpoint}, the executor's end
 * hands what it gets to {@link Executor#handle} and sends its status updates back. Frames that
 * are not control messages are dropped without harming the connection.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ControlEndpointTest {
  private static final TransportConf CONF =
      TransportConf.defaults("control endpoint test secret, 32!".getBytes(StandardCharsets.US_ASCII));

  @TempDir
  Path tmp;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** The driver's end: every message and close it gets, and the connection they came on. */
  private static final class DriverSide implements ControlEndpoint.Receiver {
    final BlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Connection> closed = new LinkedBlockingQueue<>();
    final AtomicReference<Connection> executor = new AtomicReference<>();

    @Override
    public void onMessage(Connection from, ControlMessage message) {
      executor.set(from);
      received.add(message);
    }

    @Override
    public void onClose(Connection connection) {
      closed.add(connection);
    }

    <M extends ControlMessage> M next(Class<M> type) throws InterruptedException {
      ControlMessage m = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(m, "no " + type.getSimpleName() + " arrived");
      return assertInstanceOf(type, m);
    }
  }

  @Test
  void theDriverRunsATaskOnAnExecutorOverTheWireAndHearsHowItEnded() throws Exception {
    DriverSide driver = new DriverSide();
    TransportServer server = TransportServer.start("127.0.0.1", 0, CONF, new ControlEndpoint("driver", driver),
        BlockResolver.NONE);
    open.add(server);
    AtomicReference<Executor> executor = new AtomicReference<>();
    TransportClient toDriver = TransportClient.connect("127.0.0.1", server.port(), CONF,
        new ControlEndpoint("executor exec-1", (from, message) -> executor.get().handle(message)));
    open.add(0, toDriver);
    executor.set(new Executor(new ExecutorConf("exec-1", "localhost", 1, tmp.resolve("exec-1"), 1 << 20),
        sha -> Tasks.LOADER, null, id -> {
          throw new IOException("no broadcasts");
        }, update -> toDriver.send(update.encode())));
    open.add(1, executor.get());

    RegisterExecutor hello = new RegisterExecutor(new ExecutorId("exec-1"), "host-1", "127.0.0.1", 4040, 1);
    toDriver.send(hello.encode());
    assertEquals(hello, driver.next(RegisterExecutor.class));

    Tasks.Planning planning = new Tasks.Planning();
    Stage stage = planning.plan(planning.context.parallelize(LongStream.range(0, 40).boxed().toList(),
        Encoders.longs(), 2), new Action.Count()).resultStage();
    Tasks.StageRun run = Tasks.register(stage);
    Connection toExecutor = driver.executor.get();
    TaskLaunch first = run.launch(1);
    toExecutor.send(run.registration().encode());
    toExecutor.send(new LaunchTasks(List.of(first)).encode());

    TaskEnded ended = driver.next(StatusUpdate.class).ended().get(0);
    assertEquals(first.attempt(), ended.attempt());
    assertEquals(new ExecutorId("exec-1"), ended.executor());
    assertEquals(20L, Tasks.count(ended));

    // frames that are not control messages are dropped; the connection goes on
    toExecutor.send(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    toExecutor.send(JavaSerde.serialize("a string, not a control message"));
    toExecutor.send(new ForgetStage(run.id()).encode());
    TaskLaunch late = run.launch(0);
    toExecutor.send(new LaunchTasks(List.of(late)).encode());
    TaskEnded refused = driver.next(StatusUpdate.class).ended().get(0);
    assertEquals(late.attempt(), refused.attempt());
    assertEquals("stage not registered",
        assertInstanceOf(TaskEndReason.ExceptionFailure.class, refused.reason()).message());

    toDriver.send("garbage from the executor".getBytes(StandardCharsets.UTF_8));
    toDriver.send(hello.encode());
    assertEquals(hello, driver.next(RegisterExecutor.class), "the garbage before it was dropped");
    assertNull(driver.received.poll(100, TimeUnit.MILLISECONDS));

    toDriver.close();
    assertTrue(driver.closed.poll(10, TimeUnit.SECONDS) != null, "the driver hears of the closed connection");
  }
}
