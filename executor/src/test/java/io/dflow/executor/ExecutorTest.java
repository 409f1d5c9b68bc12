package io.dflow.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.Pair;
import io.dflow.api.function.MapFunction;
import io.dflow.api.plan.ShuffleSpec;
import io.dflow.api.plan.ShuffleSpec.Kind;
import io.dflow.api.plan.Steps;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.ControlMessage.TaskFinished;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.task.Tasks;
import io.dflow.planner.StageOutput;
import io.dflow.planner.TaskInput;
import io.dflow.planner.TaskSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two executors, each serving its shuffle store from a transport server as {@link ExecutorMain}
 * wires them, exchanging map outputs over loopback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecutorTest {
  private static final byte[] SECRET = "executor test secret, 32 bytes!!".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER = "some other run's secret, 32 b..!".getBytes(StandardCharsets.US_ASCII);
  private static final ClassLoader LOADER = ExecutorTest.class.getClassLoader();
  private static final MessageHandler NO_CONTROL = (from, body) -> { };
  private static final ShuffleSpec GROUP = new ShuffleSpec(Kind.GROUP_BY_KEY, new HashPartitioner(2), 2,
      Encoders.longs(), Encoders.longs(), null, null);

  @TempDir
  Path tmp;
  private final List<AutoCloseable> open = new ArrayList<>();

  /** An executor with its transport server, as ExecutorMain.run starts them. */
  private record Node(Executor executor, TransportServer server) {
    MapOutputLocation location(int mapIndex) {
      return new MapOutputLocation(mapIndex, executor.conf().executorId(), "127.0.0.1", server.port());
    }
  }

  private Node start(String id, byte[] secret) throws IOException {
    TransportConf transport = TransportConf.defaults(secret);
    Executor executor = new Executor(new ExecutorConf(id, "localhost", 2, tmp.resolve(id)), sha -> LOADER, transport);
    open.add(executor);
    TransportServer server = TransportServer.start("127.0.0.1", 0, transport, NO_CONTROL,
        executor.shuffleStore()::resolve);
    open.add(0, server);
    return new Node(executor, server);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** Map task {@code m} of job 1: keys x % 10 of its slice, value x. */
  private static TaskSpec mapTask(int m, long from, long to) {
    MapFunction<Long, Object> byLastDigit = x -> Pair.of(x % 10, x);
    return Tasks.spec(0, m, Tasks.slice(LongStream.range(from, to).boxed().toList()),
        List.of(Steps.map(byLastDigit)), new StageOutput.ShuffleWrite(0, GROUP));
  }

  private static TaskSpec reduceTask(int p) {
    return Tasks.spec(1, p, new TaskInput.ReadShuffle(0, p, GROUP), List.of(), Tasks.collect());
  }

  @Test
  void reduceTasksFetchMapOutputsFromTheOtherExecutor() throws Exception {
    Node a = start("exec-a", SECRET);
    Node b = start("exec-b", SECRET);
    assertTrue(Tasks.run(a.executor(), Tasks.launch(1, mapTask(0, 0, 5_000))).succeeded());
    assertTrue(Tasks.run(b.executor(), Tasks.launch(1, mapTask(1, 5_000, 8_000))).succeeded());
    List<MapOutputLocation> maps = List.of(a.location(0), b.location(1));

    // partition 0 reduced on B (map 0 remote), partition 1 on A (map 1 remote)
    TaskFinished onB = Tasks.run(b.executor(), Tasks.launch(1, reduceTask(0), null, maps));
    TaskFinished onA = Tasks.run(a.executor(), Tasks.launch(1, reduceTask(1), null, maps));

    Map<Object, List<Long>> actual = new TreeMap<>();
    for (Object r : Tasks.collected(List.of(onB, onA), LOADER)) {
      Pair<?, ?> pair = (Pair<?, ?>) r;
      List<Long> values = new ArrayList<>();
      ((List<?>) pair.value()).forEach(v -> values.add((Long) v));
      values.sort(null);
      actual.put(pair.key(), values);
    }
    Map<Object, List<Long>> expected = new TreeMap<>();
    for (long x = 0; x < 8_000; x++) {
      expected.computeIfAbsent(x % 10, k -> new ArrayList<>()).add(x);
    }
    assertEquals(expected, actual);
    assertTrue(onB.metrics().shuffleBytesRead() > 0 && onA.metrics().shuffleBytesRead() > 0);
  }

  @Test
  void anExecutorWithAnotherSecretCannotFetch() throws Exception {
    Node a = start("exec-a", SECRET);
    Node intruder = start("exec-x", OTHER);
    assertTrue(Tasks.run(a.executor(), Tasks.launch(1, mapTask(0, 0, 100))).succeeded());

    TaskFinished finished = Tasks.run(intruder.executor(), Tasks.launch(1, reduceTask(0), null, List.of(a.location(0))));
    assertFalse(finished.succeeded());
    assertTrue(finished.error().startsWith("shuffle 0 partition 0: java.io.IOException: cannot fetch shuffle 0 "
        + "partition 0 of map task 0 from executor exec-a (127.0.0.1:" + a.server().port() + "): "
        + "cannot reach executor exec-a"), finished.error());
  }

  @Test
  void closingDeletesTheShuffleFiles() throws Exception {
    Executor executor = new Executor(new ExecutorConf("solo", "localhost", 1, tmp.resolve("solo")), sha -> LOADER, null);
    assertTrue(Tasks.run(executor, Tasks.launch(1, mapTask(0, 0, 10))).succeeded());
    Path shuffleDir = tmp.resolve("solo").resolve("shuffle");
    try (var files = Files.list(shuffleDir)) {
      assertEquals(2, files.count(), "a data file and an index");
    }
    executor.close();
    assertFalse(Files.exists(shuffleDir));
  }

  @Test
  void anExecutorNeedsASlot() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ExecutorConf("x", "localhost", 0, tmp));
    assertEquals("an executor needs at least one slot, got 0", e.getMessage());
  }
}
