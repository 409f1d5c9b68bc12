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
 * A task that ignores its kill (it spins, clearing interrupts) is given up after the kill
 * timeout and retried: in-process on a new slot thread, on executor JVMs by ending its executor,
 * which is replaced. Either way the job ends long before the task would have, with every record
 * written once.
 */
class AbandonedTaskTest {
  @TempDir
  Path dir;

  @Test
  void inProcessTheSlotThreadIsReplaced() throws IOException {
    CliRun run = run("local[2]", "in-process");
    String log = run.err().lines().filter(l -> l.startsWith("event log: ")).findFirst().orElseThrow().substring(11);
    assertTrue(Files.readString(Path.of(log)).contains("did not stop within 2.0 s of being killed"),
        "the abandoned attempt's end is in the event log");
  }

  @Test
  void onExecutorJvmsTheExecutorIsReplaced() throws IOException {
    CliRun run = run("local-cluster[2,1]", "cluster");
    assertTrue(run.lastErrLine().contains("1 executor lost"), run.lastErrLine());
    assertTrue(run.err().contains("warning: executor exec-0 lost: its connection closed; its process exited with code 70")
        || run.err().contains("warning: executor exec-1 lost: its connection closed; its process exited with code 70"),
        "one warning line names the lost executor and its exit code:\n" + run.err());
  }

  private CliRun run(String master, String name) throws IOException {
    Path out = dir.resolve(name);
    long start = System.nanoTime();
    CliRun run = CliRun.of("run", "--master", master, "--class", "dflowtest.jobs.DeafTaskJob",
        "--conf", "dflow.task.timeout=4000", "--conf", "dflow.task.killTimeoutMs=2000",
        "--conf", "dflow.task.maxAttempts=4",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        TestJars.testJobs(dir).toString(), out.toString());
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, run.exit(), run.err());
    assertTrue(seconds < 40, "the deaf attempt spins 60 s; the job ended after " + seconds + " s");
    List<Integer> got = new ArrayList<>();
    try (Stream<Path> parts = Files.list(out)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        Files.readAllLines(part).forEach(l -> got.add(Integer.parseInt(l)));
      }
    }
    assertEquals(IntStream.range(0, 4000).boxed().toList(), got);
    return run;
  }
}
