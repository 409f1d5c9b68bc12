package io.dflow.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Dataset;
import io.dflow.api.Encoders;
import io.dflow.api.HashPartitioner;
import io.dflow.api.LongCounter;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import io.dflow.api.StorageLevel;
import io.dflow.api.function.MapFunction;
import io.dflow.api.plan.Action;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportServer;
import io.dflow.executor.protocol.BlockUpdate;
import io.dflow.executor.protocol.CachedBlockLocation;
import io.dflow.executor.protocol.ControlMessage.DropCachedDataset;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.protocol.TaskEndReason.FetchFailed;
import io.dflow.executor.task.Tasks;
import io.dflow.planner.PhysicalPlan;
import io.dflow.planner.ShuffleId;
import io.dflow.planner.Stage;
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
 * Two executors, each serving its blocks from a transport server as {@link ExecutorMain} wires
 * them, exchanging map outputs and cached partitions over loopback; and what closing one leaves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecutorTest {
  private static final byte[] SECRET = "executor test secret, 32 bytes!!".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] OTHER = "some other run's secret, 32 b..!".getBytes(StandardCharsets.US_ASCII);
  private static final ClassLoader LOADER = ExecutorTest.class.getClassLoader();
  private static final MessageHandler NO_CONTROL = (from, body) -> { };
  private static final Action COLLECT = new Action.Collect(64 << 20);

  @TempDir
  Path tmp;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Tasks.Planning planning = new Tasks.Planning();

  /** An executor with its transport server, as ExecutorMain.run starts them, and its reports to the driver. */
  private record Node(Executor executor, TransportServer server, Tasks.Reports reports) {
    MapOutputLocation location(TaskEnded mapTask) {
      return Tasks.location(mapTask, "127.0.0.1", server.port());
    }

    TaskEnded run(Tasks.StageRun stage, int partition) throws Exception {
      return Tasks.run(executor, reports, stage, partition);
    }
  }

  private Node start(String id, byte[] secret) throws IOException {
    TransportConf transport = TransportConf.defaults(secret);
    Tasks.Reports reports = new Tasks.Reports();
    Executor executor = new Executor(new ExecutorConf(id, "localhost", 2, tmp.resolve(id), 1 << 20),
        sha -> LOADER, transport, planning::broadcastBytes, reports);
    open.add(executor);
    TransportServer server = TransportServer.start("127.0.0.1", 0, transport, NO_CONTROL, executor.blockResolver());
    open.add(0, server);
    return new Node(executor, server, reports);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  /** Keys x % 10 of 0..8000 grouped into two partitions: a map stage of two tasks, a result stage of two. */
  private PhysicalPlan groupByLastDigit(int maps) {
    MapFunction<Long, Long> lastDigit = x -> x % 10;
    PairDataset<Long, Iterable<Long>> grouped = planning.context
        .parallelize(LongStream.range(0, 8_000).boxed().toList(), Encoders.longs(), maps)
        .keyBy(lastDigit, Encoders.longs())
        .groupByKey(new HashPartitioner(2));
    PhysicalPlan plan = planning.plan(grouped, COLLECT);
    assertEquals(2, plan.stages().size(), plan.explain());
    return plan;
  }

  @Test
  void reduceTasksFetchMapOutputsFromTheOtherExecutor() throws Exception {
    Node a = start("exec-a", SECRET);
    Node b = start("exec-b", SECRET);
    PhysicalPlan plan = groupByLastDigit(2);
    Tasks.StageRun mapStage = Tasks.register(plan.stages().get(0));
    TaskEnded map0 = a.run(mapStage, 0);
    TaskEnded map1 = b.run(mapStage, 1);
    ShuffleId shuffle = plan.stages().get(0).shufflesWritten().get(0);
    Tasks.StageRun reduceStage = Tasks.register(plan.resultStage(),
        Map.of(shuffle, List.of(a.location(map0), b.location(map1))));

    // partition 0 reduced on B (map 0 remote), partition 1 on A (map 1 remote)
    TaskEnded onB = b.run(reduceStage, 0);
    TaskEnded onA = a.run(reduceStage, 1);

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
    assertEquals(new ExecutorId("exec-b"), onB.executor());
    assertEquals(Tasks.bytesFor(List.of(map0, map1), shuffle, 0), onB.metrics().shuffleBytesRead());
    assertEquals(Tasks.bytesFor(List.of(map0, map1), shuffle, 1), onA.metrics().shuffleBytesRead());
    assertTrue(onB.metrics().shuffleBytesRead() > 0 && onA.metrics().shuffleBytesRead() > 0);
  }

  @Test
  void anExecutorWithAnotherSecretCannotFetchAndReportsAFetchFailure() throws Exception {
    Node a = start("exec-a", SECRET);
    Node intruder = start("exec-x", OTHER);
    PhysicalPlan plan = groupByLastDigit(1);
    TaskEnded map = a.run(Tasks.register(plan.stages().get(0)), 0);
    ShuffleId shuffle = plan.stages().get(0).shufflesWritten().get(0);

    TaskEnded ended = intruder.run(Tasks.register(plan.resultStage(), Map.of(shuffle, List.of(a.location(map)))), 0);

    FetchFailed failed = Tasks.failure(ended, FetchFailed.class);
    assertEquals(shuffle, failed.shuffle());
    assertEquals(0, failed.mapIndex());
    assertEquals(new ExecutorId("exec-a"), failed.executor());
    assertTrue(failed.message().startsWith("cannot fetch shuffle " + shuffle + " partition 0 of map task 0 from "
        + "executor exec-a (127.0.0.1:" + a.server().port() + "): cannot reach executor exec-a"), failed.message());
  }

  @Test
  void aCachedPartitionIsFetchedFromTheExecutorHoldingItUntilItIsDropped() throws Exception {
    Node a = start("exec-a", SECRET);
    Node b = start("exec-b", SECRET);
    LongCounter computed = planning.context.counter("computed");
    MapFunction<Long, Long> counted = x -> {
      computed.add(1);
      return x * 3;
    };
    Dataset<Long> cached = planning.context.parallelize(LongStream.range(0, 2_000).boxed().toList(),
        Encoders.longs(), 1).map(counted, Encoders.longs()).cache();
    int node = cached.logicalNode().id();
    Stage stage = planning.plan(cached, COLLECT).resultStage();
    List<Object> expected = LongStream.range(0, 2_000).map(x -> x * 3).boxed().map(x -> (Object) x).toList();

    TaskEnded onA = a.run(Tasks.register(stage), 0);
    assertEquals(expected, Tasks.result(onA, LOADER, List.class));
    assertEquals(2_000, Tasks.counter(onA, "computed"));
    assertEquals(List.of(new BlockUpdate(node, 0, true)), Tasks.success(onA).blocks());

    // B is told A holds the partition: it reads it from there instead of computing it
    List<CachedBlockLocation> atA = List.of(new CachedBlockLocation(node, 0, new ExecutorId("exec-a"),
        "127.0.0.1", a.server().port()));
    Tasks.StageRun onBRun = Tasks.register(stage);
    TaskEnded onB = Tasks.run(b.executor(), b.reports(), onBRun, onBRun.launch(0, atA));
    assertEquals(expected, Tasks.result(onB, LOADER, List.class));
    assertEquals(0, Tasks.counter(onB, "computed"), "not recomputed");

    // once A drops the dataset, B recomputes the partition from its lineage (and keeps it itself)
    a.executor().handle(new DropCachedDataset(node));
    TaskEnded again = Tasks.run(b.executor(), b.reports(), onBRun, onBRun.launch(0, atA));
    assertEquals(expected, Tasks.result(again, LOADER, List.class));
    assertEquals(2_000, Tasks.counter(again, "computed"));
    assertEquals(List.of(new BlockUpdate(node, 0, true)), Tasks.success(again).blocks());
  }

  @Test
  void closingDeletesTheShuffleFilesAndCachedBlocks() throws Exception {
    Tasks.Reports reports = new Tasks.Reports();
    Executor executor = new Executor(new ExecutorConf("solo", "localhost", 1, tmp.resolve("solo"), 1 << 20),
        sha -> LOADER, null, planning::broadcastBytes, reports);
    Tasks.success(Tasks.run(executor, reports, Tasks.register(groupByLastDigit(1).stages().get(0)), 0));
    Dataset<Long> onDisk = planning.context.parallelize(List.of(1L, 2L), Encoders.longs(), 1)
        .persist(StorageLevel.DISK);
    Tasks.success(Tasks.run(executor, reports, Tasks.register(planning.plan(onDisk, COLLECT).resultStage()), 0));
    Path shuffleDir = tmp.resolve("solo").resolve("shuffle");
    Path blockDir = tmp.resolve("solo").resolve("blocks");
    try (var files = Files.list(shuffleDir)) {
      assertEquals(2, files.count(), "a data file and an index");
    }
    try (var files = Files.list(blockDir)) {
      assertEquals(List.of("rdd_" + onDisk.logicalNode().id() + "_0"),
          files.map(f -> f.getFileName().toString()).toList());
    }
    executor.close();
    assertFalse(Files.exists(shuffleDir));
    assertFalse(Files.exists(blockDir));
  }

  @Test
  void anExecutorNeedsASlotAndNonNegativeStorage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ExecutorConf("x", "localhost", 0, tmp, 0));
    assertEquals("an executor needs at least one slot, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ExecutorConf("x", "localhost", 1, tmp, -1));
    assertEquals("storage memory must not be negative, got -1", e.getMessage());
  }
}
