package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every way a job can fail ends with exit 1, one clear first line, and no output left behind. */
class JobFailureTest {
  @TempDir
  static Path dir;
  static Path jobs;
  static Path input;

  @BeforeAll
  static void setUp() throws IOException {
    jobs = TestJars.testJobs(dir);
    input = dir.resolve("words.txt");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      text.append(i == 3777 ? "poison" : "word" + (i % 17)).append('\n');
    }
    Files.writeString(input, text);
  }

  @Test
  void aHungTaskIsKilledAfterTheTimeoutAndRetried() {
    CliRun run = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () ->
        CliRun.of("run", "--master", "local[2]", "--class", "dflowtest.jobs.SleepingJob",
            "--conf", "dflow.task.timeout=800", "--conf", "dflow.task.maxAttempts=2", jobs.toString()));
    assertEquals(1, run.exit());
    assertTrue(run.firstErrLine().contains("(attempt 2 of 2)"), run.err());
    assertTrue(run.firstErrLine().contains("the task was killed: no input record read and no output written for"),
        run.err());
    assertTrue(run.err().contains("Caused by: java.lang.InterruptedException"), run.err());
  }

  @Test
  void missingInputIsNamed() {
    Path out = dir.resolve("out-missing");
    CliRun run = CliRun.of("run", "--master", "local[2]", "--class", "io.dflow.examples.WordCount",
        TestJars.examples().toString(), dir.resolve("no-such-dir").toString(), out.toString());
    assertEquals(1, run.exit());
    assertTrue(run.firstErrLine().startsWith("error: Input path does not exist: "), run.err());
    assertTrue(run.firstErrLine().contains("no-such-dir"), run.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void unreadableJar() throws IOException {
    Path notAJar = Files.writeString(dir.resolve("not-a.jar"), "plain text");
    CliRun run = CliRun.of("run", "--master", "local[1]", notAJar.toString());
    assertEquals(1, run.exit());
    assertTrue(run.firstErrLine().startsWith("error: cannot read job jar " + notAJar), run.err());
    CliRun missing = CliRun.of("run", dir.resolve("absent.jar").toString());
    assertEquals(1, missing.exit());
    assertTrue(missing.firstErrLine().contains("no such readable file"), missing.err());
  }

  @Test
  void classNotFoundOrNotAJob() {
    CliRun run = CliRun.of("run", "--class", "dflowtest.jobs.Nope", jobs.toString());
    assertEquals(1, run.exit());
    assertEquals("error: class dflowtest.jobs.Nope not found in job jar " + jobs, run.firstErrLine());
    CliRun notJob = CliRun.of("run", "--class", "dflowtest.jobs.WideStepsJob$Parity", jobs.toString());
    assertEquals(1, notJob.exit());
    assertTrue(notJob.firstErrLine().contains("does not implement io.dflow.api.DflowJob"), notJob.err());
    CliRun noMain = CliRun.of("run", jobs.toString());
    assertTrue(noMain.firstErrLine().contains("names no Main-Class"), noMain.err());
  }

  @Test
  void existingOutputIsRefusedUnlessOverwrite() throws IOException {
    Path out = Files.createDirectories(dir.resolve("out-exists"));
    Files.writeString(out.resolve("keep.txt"), "precious");
    String[] job = {"--class", "io.dflow.examples.WordCount", TestJars.examples().toString(),
        input.toString(), out.toString()};
    CliRun refused = CliRun.of(concat(new String[] {"run", "--master", "local[2]"}, job));
    assertEquals(1, refused.exit());
    assertTrue(refused.firstErrLine().startsWith("error: Output path already exists: "), refused.err());
    assertEquals("precious", Files.readString(out.resolve("keep.txt")));

    CliRun overwritten = CliRun.of(concat(new String[] {"run", "--master", "local[2]", "--overwrite"}, job));
    assertEquals(0, overwritten.exit(), overwritten.err());
    assertFalse(Files.exists(out.resolve("keep.txt")));
    assertTrue(Files.exists(out.resolve("_SUCCESS")));
  }

  @Test
  void aThrowingMapperFailsTheJobNamingTheTaskAndLeavesNoOutput() {
    for (String master : new String[] {"local[2]", "local-cluster[2,1]"}) {
      Path out = dir.resolve("out-poison-" + master.replaceAll("\\W", ""));
      CliRun run = CliRun.of("run", "--master", master, "--class", "dflowtest.jobs.FailingMapJob",
          "--conf", "dflow.input.maxSplitBytes=8192",
          "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
          jobs.toString(), input.toString(), out.toString());
      assertEquals(1, run.exit(), run.err());
      String first = run.errorLine();
      if (master.startsWith("local-cluster")) {
        assertTrue(run.err().contains("failed 2 tasks of job 0 stage 0"), "an executor failing the same task "
            + "twice is excluded from the stage, while the other is left:\n" + run.err());
        assertTrue(run.err().matches("(?s).*the last lines of executor exec-\\d+'s log \\(\\S+exec-\\d+\\.log\\):\n"
            + "(    .*\n)*    the mapper says: a poisoned record came\n.*"),
            "the error ends with what the task printed before it threw, from its executor's log:\n" + run.err());
      }
      // 3777 lines of 6 bytes precede the poison line: it is in the split that starts at 16384.
      assertTrue(first.startsWith("error: task failed: job 0 stage 0 (textFile "), first);
      // a deterministic failure is reported at once in-process; executor JVMs retry 4 times
      String attempts = master.startsWith("local[") ? "1 of 1" : "4 of 4";
      assertTrue(first.contains(" -> map -> mapToPair) task 2 (attempt " + attempts + "): "), first);
      assertTrue(first.contains("split " + input.toUri().toString().replace("file:///", "file:/")
          + ":16384+8192") || first.contains(input + ":16384+8192"), first);
      assertTrue(first.contains("java.lang.IllegalStateException: poisoned record"), first);
      assertFalse(Files.exists(out), "no output may be left behind by a failed job");
    }
  }

  @Test
  void anExecutorThatDiesFailsTheJobWithItsLastWords() {
    Path out = dir.resolve("out-halt");
    CliRun run = CliRun.of("run", "--master", "local-cluster[2,1]", "--class", "dflowtest.jobs.HaltingJob",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(), "--conf", "dflow.task.maxAttempts=1",
        jobs.toString(), out.toString());
    assertEquals(1, run.exit(), run.err());
    String first = run.errorLine();
    assertTrue(first.startsWith("error: task failed: job 0 stage 0 (parallelize (4 records in 1 slice) -> map) task 0"
        + " (attempt 1 of 1): executor exec-"), first);
    assertTrue(first.contains(" lost: its connection closed; its process exited with code 3; the end of its log:"), first);
    assertTrue(run.err().contains("halting executor on record 1"), "the executor's last log lines belong in the error:\n" + run.err());
    assertFalse(Files.exists(out), "no output may be left behind by a failed job");
  }

  @Test
  void systemExitInUserCodeIsNamedAsTheExecutorsEnd() {
    Path out = dir.resolve("out-exit");
    CliRun run = CliRun.of("run", "--master", "local-cluster[2,1]", "--class", "dflowtest.jobs.ExitingJob",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(), "--conf", "dflow.task.maxAttempts=1",
        jobs.toString(), out.toString());
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.errorLine().contains("its process exited with code 5 after user code called System.exit on thread "
        + "exec-") && run.errorLine().contains("dflowtest.jobs.ExitingJob.exit("), run.errorLine());
    assertFalse(Files.exists(out), "no output may be left behind by a failed job");
  }

  @Test
  void aTaskThatKillsEveryExecutorItIsRetriedOnFailsWhenNoneIsLeft() {
    Path out = dir.resolve("out-halt-all");
    CliRun run = CliRun.of("run", "--master", "local-cluster[2,1]", "--class", "dflowtest.jobs.HaltingJob",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(), jobs.toString(), out.toString());
    assertEquals(1, run.exit(), run.err());
    String first = run.errorLine();
    assertTrue(first.startsWith("error: task failed: job 0 stage 0 (parallelize (4 records in 1 slice) -> map) task 0"
        + " (attempt 4 of 4): executor exec-"), first); // lost executors are replaced: the attempts run out first
    assertTrue(first.contains("its process exited with code 3"), first);
    assertTrue(run.err().contains("halting executor on record 1"), run.err());
    assertFalse(Files.exists(out), "no output may be left behind by a failed job");
  }

  @Test
  void aLostExecutorIsReplacedAndTheJobSucceeds() throws IOException {
    Path out = dir.resolve("out-halt-once");
    Path markers = Files.createDirectories(dir.resolve("halt-once"));
    CliRun run = CliRun.of("run", "--master", "local-cluster[1,1]", "--class", "dflowtest.jobs.HaltOnceJob",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(), jobs.toString(), markers.toString(),
        out.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.lastErrLine().endsWith("(1 job, 1 stage, 1 task; 1 executor lost, 1 replaced)"), run.err());
    assertEquals(List.of("10", "20", "30", "40"), Files.readAllLines(out.resolve("part-00000")));
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
