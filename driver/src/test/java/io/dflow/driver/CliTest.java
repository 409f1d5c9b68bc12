package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line itself: help, usage errors, explain, and TinyTasks' result. */
class CliTest {
  @TempDir
  Path dir;

  @Test
  void helpListsTheCommands() {
    CliRun run = CliRun.of("--help");
    assertEquals(0, run.exit());
    assertTrue(run.out().contains("run") && run.out().contains("explain"), run.out());
    CliRun runHelp = CliRun.of("run", "--help");
    assertTrue(runHelp.out().contains("--master") && runHelp.out().contains("--overwrite"), runHelp.out());
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, CliRun.of("frobnicate").exit());
    assertEquals(2, CliRun.of("run").exit());
  }

  @Test
  void badMasterOrConfIsOneClearLine() {
    CliRun run = CliRun.of("run", "--master", "yarn-ish", TestJars.examples().toString());
    assertEquals(1, run.exit());
    assertTrue(run.firstErrLine().startsWith("error: unknown master 'yarn-ish'"), run.err());
    CliRun badNumber = CliRun.of("run", "--conf", "dflow.input.maxSplitBytes=12MB", TestJars.examples().toString());
    assertEquals(1, badNumber.exit());
    assertEquals("error: setting dflow.input.maxSplitBytes=12MB is not valid: it must be a whole number from 1 to "
        + Long.MAX_VALUE, badNumber.firstErrLine());
    CliRun badJoins = CliRun.of("run", "--conf", "dflow.join.strategy=broadcast", TestJars.examples().toString());
    assertEquals(1, badJoins.exit());
    assertEquals("error: setting dflow.join.strategy=broadcast is not valid: it must be auto, hash or sortMerge",
        badJoins.firstErrLine());
    CliRun badRatio = CliRun.of("run", "--conf", "dflow.yarn.minRegisteredRatio=1.5", TestJars.examples().toString());
    assertEquals(1, badRatio.exit());
    assertEquals("error: setting dflow.yarn.minRegisteredRatio=1.5 is not valid: it must be a number above 0 and at most 1",
        badRatio.firstErrLine());
    CliRun badAttempts = CliRun.of("run", "--conf", "dflow.yarn.maxAppAttempts=0", TestJars.examples().toString());
    assertEquals(1, badAttempts.exit());
    assertEquals("error: setting dflow.yarn.maxAppAttempts=0 is not valid: it must be a whole number from 1 to 1000",
        badAttempts.firstErrLine());
    CliRun noEquals = CliRun.of("run", "--conf", "dflow.master", TestJars.examples().toString());
    assertEquals(1, noEquals.exit());
    assertEquals("error: --conf expects key=value, got 'dflow.master'", noEquals.firstErrLine());
  }

  @Test
  void yarnWithoutTheClustersSettingsIsOneClearLine() {
    assertTrue(System.getenv("HADOOP_CONF_DIR") == null && System.getenv("YARN_CONF_DIR") == null,
        "this test needs an environment without a cluster");
    for (String mode : new String[] {"client", "cluster"}) {
      CliRun run = CliRun.of("run", "--master", "yarn", "--deploy-mode", mode, "--class", "io.dflow.examples.WordCount",
          TestJars.examples().toString(), "in", "out");
      assertEquals(1, run.exit(), run.err());
      assertTrue(run.firstErrLine().startsWith("error: --master yarn needs the cluster's settings: no yarn-site.xml in "
          + "$YARN_CONF_DIR or $HADOOP_CONF_DIR"), mode + ": " + run.err());
    }
    CliRun badMode = CliRun.of("run", "--master", "yarn", "--deploy-mode", "cloud", TestJars.examples().toString());
    assertEquals("error: setting dflow.submit.deployMode=cloud is not valid: it must be client or cluster",
        badMode.firstErrLine());
  }

  @Test
  void anUnknownSettingIsAnErrorNamingTheNearestKnownOne() {
    CliRun typo = CliRun.of("run", "--conf", "dflow.task.maxAtempts=4", TestJars.examples().toString());
    assertEquals(1, typo.exit());
    assertEquals("error: unknown setting dflow.task.maxAtempts: did you mean dflow.task.maxAttempts? "
        + "(conf/dflow-defaults.properties lists them all)", typo.firstErrLine());
    CliRun far = CliRun.of("run", "--conf", "dflow.nothing.like.it=1", TestJars.examples().toString());
    assertEquals("error: unknown setting dflow.nothing.like.it (conf/dflow-defaults.properties lists them all)",
        far.firstErrLine());
    CliRun badSize = CliRun.of("run", "--conf", "dflow.collect.maxBytes=12q", TestJars.examples().toString());
    assertTrue(badSize.firstErrLine().startsWith("error: setting dflow.collect.maxBytes=12q is not valid"), badSize.err());
    CliRun notBoolean = CliRun.of("run", "--conf", "dflow.output.compress=yes", TestJars.examples().toString());
    assertEquals("error: setting dflow.output.compress=yes is not valid: it must be true or false",
        notBoolean.firstErrLine());
  }

  @Test
  void sizesMayBeWrittenWithSuffixes() throws IOException {
    Map<String, String> conf = DflowConf.load(null, Map.of("dflow.input.maxSplitBytes", "64k",
        "dflow.task.memoryBytes", "512M", "dflow.collect.maxBytes", "2g", "dflow.shuffle.maxBytesInFlight", "1000"));
    assertEquals("65536", conf.get("dflow.input.maxSplitBytes"));
    assertEquals(String.valueOf(512L << 20), conf.get("dflow.task.memoryBytes"));
    assertEquals(String.valueOf(2L << 30), conf.get("dflow.collect.maxBytes"));
    assertEquals("1000", conf.get("dflow.shuffle.maxBytesInFlight"));
  }

  @Test
  void everySettingIsDocumentedInTheDefaultsFileAndTheReadme() throws IOException {
    Set<String> documented = new TreeSet<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^#?(dflow\\.[A-Za-z.]+)=")
        .matcher(Files.readString(Path.of("..", "conf", "dflow-defaults.properties")));
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertEquals(new TreeSet<>(DflowConf.KNOWN), documented);
    String readme = Files.readString(Path.of("..", "README.md"));
    for (String key : DflowConf.KNOWN) {
      assertTrue(readme.contains("| `" + key + "` |"), key + " in the README's table");
    }
  }

  @Test
  void explainPrintsThePlanAndRunsNothing() throws IOException {
    Path in = Files.writeString(dir.resolve("in.txt"), "a b\nc\n");
    Path out = dir.resolve("out");
    CliRun run = CliRun.of("explain", "--master", "local[3]", "--class", "io.dflow.examples.WordCount",
        TestJars.examples().toString(), in.toString(), out.toString());
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("== Physical plan: saveAsTextFile " + out + " (2 stages, 4 tasks) =="), run.out());
    assertTrue(run.out().contains("\n  write shuffle 3 reduceByKey[hash,3] (combined map side)\n    flatMap -> mapToPair\n"),
        run.out());
    assertTrue(run.out().contains("\n  saveAsTextFile " + out + "\n    read shuffle 3 reduceByKey[hash,3]\n"), run.out());
    assertFalse(Files.exists(out), "explain must not run the job");
  }

  @Test
  void tinyTasksSumsExactlyInAFewTasks() {
    java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    CliRun run;
    System.setOut(new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      run = CliRun.of("run", "--master", "local[2]", "--class", "io.dflow.examples.TinyTasks",
          TestJars.examples().toString(), "3000");
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, run.exit(), run.err());
    java.math.BigInteger expected = java.math.BigInteger.ZERO;
    for (int x = 0; x < 3000; x++) {
      expected = expected.add(java.math.BigInteger.valueOf(x).pow(10));
    }
    assertTrue(run.lastErrLine().endsWith("(1 job, 1 stage, 4 tasks)"), run.lastErrLine());
    assertEquals("sum of x^10 for x in [0, 3000) = " + expected,
        printed.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
  }
}
