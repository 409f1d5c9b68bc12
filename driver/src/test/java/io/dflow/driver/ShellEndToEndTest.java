package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.driver.shell.ShellLauncher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dflow shell} driven through its standard input, on {@code local[2]} and on
 * {@code local-cluster[2,1]} (real executor JVMs, which load the snippets' classes from the
 * driver): a class and lambdas typed at the prompt, reading a variable of an earlier snippet,
 * a word count checked against one computed here, a cached dataset counted twice, a compile
 * error and a failing job that both leave the shell usable; a gang of four MPI ranks; scripts
 * through the command line; the classes of {@code --jars}; and the shell as a process of its own,
 * reading a pipe.
 */
class ShellEndToEndTest {
  static final List<String> LINES = List.of("the quick brown fox", "jumps over the lazy dog",
      "the dog sleeps", "a fox and a dog and the end");

  /** What a shell run printed: its own output, its stderr, and what snippets printed on System.out. */
  record ShellRun(int exit, String out, String err, String printed) {}

  static ShellRun shell(String master, String input, Path script, List<Path> jars) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      int exit = ShellLauncher.run(Map.of(DflowConf.MASTER, master,
              "dflow.executor.classpath", TestJars.executorClasspath()), jars, script,
          new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      return new ShellRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
          printed.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(stdout);
    }
  }

  static String javaList(List<String> lines) {
    return lines.stream().map(l -> "\"" + l + "\"").collect(Collectors.joining(", ", "List.of(", ")"));
  }

  /** Lines of {@code printed} that start with {@code tag + " "}, without the tag. */
  static List<String> tagged(String printed, String tag) {
    List<String> out = new ArrayList<>();
    for (String line : printed.split("\n")) {
      if (line.startsWith(tag + " ")) {
        out.add(line.substring(tag.length() + 1));
      }
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"local[2]", "local-cluster[2,1]"})
  void lambdasAndAClassTypedAtThePromptRunOnTheExecutors(String master) {
    int minLength = 3;
    Map<String, Long> expected = new TreeMap<>();
    long words = 0;
    for (String line : LINES) {
      for (String w : line.split(" ")) {
        words++;
        if (w.length() >= minLength) {
          expected.merge(w.toUpperCase(), 1L, Long::sum);
        }
      }
    }
    String input = String.join("\n",
        "record Word(String text, int length) implements java.io.Serializable {",
        "  Word upper() { return new Word(text.toUpperCase(), length); }",
        "}",
        "int minLength = " + minLength + ";",
        "var lines = ctx.parallelize(" + javaList(LINES) + ", Encoders.strings(), 4);",
        // as in jshell, a line that is a whole statement runs at once: a chain goes on after a trailing dot
        "var counts = lines.flatMap(l -> Arrays.asList(l.split(\" \")).iterator(), Encoders.strings()).",
        "    map(w -> new Word(w, w.length()).upper(), Encoders.java(Word.class)).",
        "    filter(w -> w.length() >= minLength).",
        "    mapToPair(w -> Pair.of(w.text(), 1L), Encoders.strings(), Encoders.longs()).",
        "    reduceByKey((a, b) -> a + b);",
        "for (var p : counts.collect()) System.out.println(\"count \" + p.key() + \" \" + p.value());",
        "int x = ;",
        "lines.map(l -> { if (l.contains(\"lazy\")) throw new IllegalStateException(\"no lazy lines\"); return l; },"
            + " Encoders.strings()).count();",
        "var cached = lines.flatMap(l -> Arrays.asList(l.split(\" \")).iterator(), Encoders.strings()).cache();",
        "System.out.println(\"first \" + cached.count());",
        "System.out.println(\"second \" + cached.count());",
        ":session",
        "");
    ShellRun run = shell(master, input, null, List.of());
    assertEquals(0, run.exit(), run.err());
    Map<String, Long> got = new TreeMap<>();
    for (String line : tagged(run.printed(), "count")) {
      String[] kv = line.split(" ");
      got.put(kv[0], Long.parseLong(kv[1]));
    }
    assertEquals(expected, got, run.err());
    assertTrue(run.out().contains("created record Word"), run.out());
    assertTrue(run.out().contains("minLength ==> " + minLength), run.out());
    List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(2, errors.size(), run.err());
    assertTrue(errors.get(0).startsWith("error: illegal start of expression"), run.err());
    assertTrue(run.err().contains("    int x = ;\n" + "            ^"), run.err());
    assertTrue(errors.get(1).startsWith("error: job failed: "), errors.get(1));
    assertTrue(errors.get(1).contains("java.lang.IllegalStateException: no lazy lines"), errors.get(1));
    assertTrue(errors.get(1).endsWith("(:last shows the whole message)"), errors.get(1));
    assertEquals(List.of(String.valueOf(words)), tagged(run.printed(), "first"), run.err());
    assertEquals(List.of(String.valueOf(words)), tagged(run.printed(), "second"), run.err());
    assertTrue(run.out().contains(" on " + master + ": "), run.out());
  }

  @Test
  void aGangOfFourRanksRunsFromThePrompt() {
    double scale = 0.5;
    int n = 1000;
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += i * scale;
    }
    String input = String.join("\n",
        "record Partial(int rank, double slice, double total) implements java.io.Serializable {}",
        "double scale = " + scale + ";",
        "var nums = new ArrayList<Double>();",
        "for (int i = 0; i < " + n + "; i++) nums.add((double) i);",
        "var partials = ctx.parallelize(nums, Encoders.doubles(), 4).mpi(4, (comm, part) -> {",
        "  double local = 0;",
        "  while (part.hasNext()) local += part.next() * scale;",
        "  double[] sum = {local};",
        "  comm.allReduce(sum, Op.SUM);",
        "  return List.of(new Partial(comm.rank(), local, sum[0])).iterator();",
        "}, Encoders.java(Partial.class)).collect();",
        "for (var p : partials) System.out.println(\"rank \" + p.rank() + \" \" + p.slice() + \" \" + p.total());",
        "");
    ShellRun run = shell("local-cluster[2,2]", input, null, List.of());
    assertEquals(0, run.exit(), run.err());
    List<String> ranks = tagged(run.printed(), "rank");
    assertEquals(4, ranks.size(), run.printed() + run.err());
    double slices = 0;
    for (String line : ranks) {
      String[] f = line.split(" ");
      slices += Double.parseDouble(f[1]);
      assertEquals(total, Double.parseDouble(f[2]), 1e-6, line);
    }
    assertEquals(total, slices, 1e-6, "the slices add up to the total");
    assertEquals(List.of("0", "1", "2", "3"), ranks.stream().map(l -> l.split(" ")[0]).sorted().toList());
    assertTrue(run.err().contains("mpi(4)"), run.err());
  }

  @Test
  void aScriptRunsFromTheCommandLineAndStopsAtItsFirstFailingSnippet(@TempDir Path dir) throws IOException {
    Path ok = dir.resolve("ok.jsh");
    Files.writeString(ok, String.join("\n",
        "// a comment, then a snippet over three lines",
        "long evens = ctx.parallelize(List.of(1, 2, 3, 4, 5, 6), Encoders.ints(), 3)",
        "    .filter(x -> x % 2 == 0)",
        "    .count();",
        "System.out.println(\"evens \" + evens);",
        ""));
    Path failing = dir.resolve("failing.jsh");
    Files.writeString(failing, String.join("\n",
        "var nums = ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 2);",
        "System.out.println(\"before \" + nums.count());",
        "",
        "nums.map(x -> 12 / (x - 3), Encoders.ints()).collect();",
        "System.out.println(\"after\");",
        ""));
    String cp = "dflow.executor.classpath=" + TestJars.executorClasspath();
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    CliRun good;
    CliRun bad;
    try {
      good = CliRun.of("shell", "--master", "local[2]", "--conf", cp, "-f", ok.toString());
      bad = CliRun.of("shell", "--master", "local-cluster[2,1]", "--conf", cp, "-f", failing.toString());
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, good.exit(), good.err());
    assertEquals(1, bad.exit(), bad.err());
    assertEquals(List.of("3"), tagged(printed.toString(StandardCharsets.UTF_8), "evens"));
    assertEquals(List.of("4"), tagged(printed.toString(StandardCharsets.UTF_8), "before"));
    assertTrue(tagged(printed.toString(StandardCharsets.UTF_8), "after").isEmpty() && !printed.toString().contains("after"),
        "the snippets after the failing one do not run");
    String error = bad.err().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(bad.err());
    assertTrue(error.startsWith("error: " + failing + ":4: job failed: "), error);
    assertTrue(error.contains("java.lang.ArithmeticException: / by zero"), error);
  }

  @Test
  void badInputIsAClearErrorAndANonZeroExit(@TempDir Path dir) throws IOException {
    CliRun noScript = CliRun.of("shell", "--master", "local[1]", "-f", dir.resolve("missing.jsh").toString());
    assertEquals(1, noScript.exit());
    assertTrue(noScript.firstErrLine().startsWith("error: cannot read script " + dir.resolve("missing.jsh")),
        noScript.err());
    Path notAJar = Files.writeString(dir.resolve("lib.jar"), "not a jar");
    CliRun badJar = CliRun.of("shell", "--master", "local[1]", "--jars", notAJar.toString(), "-f", notAJar.toString());
    assertEquals(1, badJar.exit());
    assertTrue(badJar.firstErrLine().contains("cannot read job jar " + notAJar.toAbsolutePath() + ": not a jar file"),
        badJar.err());
    CliRun badMaster = CliRun.of("shell", "--master", "yarn[3]", "-f", notAJar.toString());
    assertEquals(1, badMaster.exit());
    assertTrue(badMaster.firstErrLine().startsWith("error: ") && badMaster.firstErrLine().contains("yarn[3]"),
        badMaster.err());
  }

  @Test
  void classesOfTheShellsJarsReachTheExecutors(@TempDir Path dir) throws IOException {
    Path jar = ShellJars.compile(dir, "shelljar.Money", """
        package shelljar;
        public record Money(long cents) implements java.io.Serializable {
          public static Money of(double units) { return new Money(Math.round(units * 100)); }
          public Money withTax() { return new Money(cents * 6 / 5); }
        }
        """);
    String input = String.join("\n",
        "var prices = ctx.parallelize(List.of(1.0, 2.5, 10.0), Encoders.doubles(), 3);",
        "var taxed = prices.map(x -> shelljar.Money.of(x).withTax(), Encoders.java(shelljar.Money.class)).collect();",
        "for (var m : taxed) System.out.println(\"cents \" + m.cents());",
        "");
    ShellRun run = shell("local-cluster[2,1]", input, null, List.of(jar));
    assertEquals(0, run.exit(), run.err());
    assertEquals(List.of("120", "300", "1200"), tagged(run.printed(), "cents").stream().sorted(
        java.util.Comparator.comparingLong(Long::parseLong)).toList(), run.err());
    assertTrue(run.err().lines().noneMatch(l -> l.startsWith("error: ")), run.err());
  }

  @Test
  void asARealProcessItReadsAPipePlainlyAndExitsAsTold(@TempDir Path dir) throws Exception {
    String input = String.join("\n",
        "int base = 100;",
        "ctx.parallelize(List.of(1, 2, 3), Encoders.ints(), 3).map(x -> x + base, Encoders.ints()).collect()",
        "ctx.parallelize(List.of(0), Encoders.ints()).map(x -> 1 / x, Encoders.ints()).collect()",
        ":vars",
        ":quit",
        "System.out.println(\"not read after :quit\");",
        "");
    Process shell = dflow(dir, "shell", "--master", "local-cluster[2,1]");
    shell.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    shell.getOutputStream().close();
    assertTrue(shell.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "the shell ended");
    String out = Files.readString(dir.resolve("out.txt"));
    String err = Files.readString(dir.resolve("err.txt"));
    assertEquals(0, shell.exitValue(), err);
    assertTrue(out.contains("base ==> 100"), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("\\$\\d+ ==> \\[101, 102, 103\\]")), out);
    assertTrue(out.contains("  int base = 100"), out);
    assertTrue(!out.contains("not read after :quit") && !out.contains("dflow>"), "no prompts on a pipe: " + out);
    assertTrue(err.lines().anyMatch(l -> l.startsWith("error: job failed: ") && l.contains("/ by zero")), err);

    Path script = Files.writeString(dir.resolve("bad.jsh"), "int x = 1;\nx.foo();\n");
    Process failing = dflow(dir, "shell", "--master", "local[1]", "-f", script.toString());
    assertTrue(failing.waitFor(3, java.util.concurrent.TimeUnit.MINUTES), "the script ended");
    assertEquals(1, failing.exitValue());
    assertTrue(Files.readString(dir.resolve("err.txt")).contains("error: " + script + ":2: int cannot be dereferenced"),
        Files.readString(dir.resolve("err.txt")));
  }

  /** The dflow command line in a JVM of its own, as bin/dflow starts it; stdout and stderr to files in {@code dir}. */
  private static Process dflow(Path dir, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", TestJars.executorClasspath(),
        io.dflow.driver.cli.DflowCli.class.getName()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--conf", "dflow.executor.classpath=" + TestJars.executorClasspath(),
        "--conf", "dflow.local.dir=" + dir.resolve("local")));
    return new ProcessBuilder(cmd).redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile()).start();
  }
}
