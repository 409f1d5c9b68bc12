package io.dflow.driver;

import io.dflow.driver.cli.DflowCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the {@code dflow} command line in this JVM and keeps what it printed. */
record CliRun(int exit, String out, String err) {
  static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = DflowCli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The first line of stderr past log lines and {@code warning:} lines. */
  String firstErrLine() {
    return err.lines().filter(l -> !l.contains(" WARN ") && !l.startsWith("warning: ")).findFirst().orElse("");
  }

  /** The first line that says what failed ({@code error: ...}), past any warning lines before it. */
  String errorLine() {
    return err.lines().filter(l -> l.startsWith("error: ")).findFirst().orElse(err);
  }

  String lastErrLine() {
    return err.lines().reduce((a, b) -> b).orElse("");
  }
}
