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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code dflow shell} driven through its standard input, on {@code local[2]} and on
 * {@code local-cluster[2,1]} (real executor JVMs, which load the snippets' classes from the
 * driver): a class and lambdas typed at the prompt, reading a variable of an earlier snippet,
 * a word count checked against one computed here, a cached dataset counted twice, a compile
 * error and a failing job that both leave the shell usable.
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
}
