package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dflow.executor.javaOptions} reaches every local-cluster executor JVM, and a bad one is reported. */
class ExecutorJavaOptionsTest {
  @TempDir
  static Path dir;
  static Path jobs;

  @BeforeAll
  static void jar() throws IOException {
    jobs = TestJars.testJobs(dir);
  }

  @Test
  void everyExecutorJvmGetsTheOptionsAndTheLastOfTwoWins() throws IOException {
    Path out = dir.resolve("out-set");
    CliRun run = run("-Ddflowtest.marker=first  -Dunrelated=x -Ddflowtest.marker=second", out);
    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of("second", "second", "second", "second"), WordCountEndToEndTest.outputLines(out),
        "what the four tasks saw");
  }

  @Test
  void withoutOptionsTheExecutorsDoNotSeeTheProperty() throws IOException {
    Path out = dir.resolve("out-unset");
    CliRun run = run(" ", out);
    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of("unset", "unset", "unset", "unset"), WordCountEndToEndTest.outputLines(out));
  }

  @Test
  void anOptionTheJvmRefusesFailsTheJobWithTheExecutorsOwnWords() {
    CliRun run = run("-XX:+NoSuchOptionAnywhere", dir.resolve("out-refused"));
    assertEquals(1, run.exit(), run.err());
    assertTrue(run.firstErrLine().contains("executor exec-"), run.firstErrLine());
    assertTrue(run.err().contains("NoSuchOptionAnywhere"), "the executor's log belongs in the error:\n" + run.err());
  }

  private static CliRun run(String options, Path out) {
    return CliRun.of("run", "--master", "local-cluster[2,1]", "--class", "dflowtest.jobs.ExecutorPropertyJob",
        "--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        "--conf", "dflow.executor.javaOptions=" + options,
        jobs.toString(), "dflowtest.marker", out.toString());
  }
}
