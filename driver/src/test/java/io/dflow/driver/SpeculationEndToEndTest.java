package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A straggler on two executor JVMs: with speculation on, its copy on the other executor
 * finishes the job long before the straggler would, every record is written exactly once, and
 * one part file per partition is committed (each commit granted by the driver's coordinator over
 * the executors' connections); the straggler is killed.
 */
class SpeculationEndToEndTest {
  @TempDir
  Path dir;

  @Test
  void aCopyOfTheStragglerFinishesTheJobAndOutputIsWrittenOnce() throws IOException {
    Path out = dir.resolve("out");
    long start = System.nanoTime();
    CliRun run = straggle(out);
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds < 100, "the straggler sleeps 120 s; its copy ended the job after " + seconds + " s");
    assertWrittenOnce(out);
  }

  private CliRun straggle(Path out, String... mode) throws IOException {
    List<String> args = new ArrayList<>(List.of("run", "--master", "local-cluster[2,1]", "--class",
        "dflowtest.jobs.StragglerJob", "--conf", "dflow.speculation=true", "--conf", "dflow.speculation.quantile=0.5",
        "--conf", "dflow.speculation.minTaskRuntimeMs=1000",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        TestJars.testJobs(dir).toString(), out.toString()));
    args.addAll(List.of(mode));
    CliRun run = CliRun.of(args.toArray(String[]::new));
    assertEquals(0, run.exit(), run.err());
    return run;
  }

  private static void assertWrittenOnce(Path out) throws IOException {
    List<Path> parts;
    try (Stream<Path> files = Files.list(out)) {
      parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList();
    }
    assertEquals(8, parts.size(), "one committed part file per partition: " + parts);
    List<Integer> got = new ArrayList<>();
    for (Path part : parts) {
      Files.readAllLines(part).forEach(l -> got.add(Integer.parseInt(l)));
    }
    assertEquals(IntStream.range(0, 8000).boxed().toList(), got, "every record once, in order");
    try (Stream<Path> left = Files.list(out)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().equals("_temporary")), "no _temporary left");
    }
  }
}
