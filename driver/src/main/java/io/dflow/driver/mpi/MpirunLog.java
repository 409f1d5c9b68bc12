package io.dflow.driver.mpi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code mpirun} wrote (its own messages, and every rank's output tagged
 * {@code [job,rank]<stderr>:}), read after the fact: which rank died and how, and the end of a
 * rank's stderr.
 */
final class MpirunLog {
  private static final Pattern TAGGED = Pattern.compile("^\\[\\d+,(\\d+)\\]<(stdout|stderr)>:(.*)$");
  private static final Pattern SIGNALLED = Pattern.compile(
      "process rank (\\d+) with PID (\\d+) on node (\\S+) exited on signal (\\d+)");
  private static final Pattern EXITED = Pattern.compile(
      "Process name:\\s*\\[\\[\\d+,\\d+\\],(\\d+)\\]\\s*\\n\\s*Exit code:\\s*(\\d+)");
  private static final Pattern ABORTED = Pattern.compile("MPI_ABORT was invoked on rank (\\d+)");
  static final int TAIL_LINES = 20;

  private final String text;

  private MpirunLog(String text) {
    this.text = text;
  }

  static MpirunLog read(Path file) {
    try {
      return new MpirunLog(Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "");
    } catch (IOException e) {
      return new MpirunLog("(mpirun's log cannot be read: " + e.getMessage() + ")");
    }
  }

  /** How one rank ended, as mpirun tells it. */
  record RankExit(int rank, String how) {}

  /** The first rank mpirun says died of a signal or exited non-zero, or null. */
  RankExit firstFailedRank() {
    Matcher m = SIGNALLED.matcher(text);
    if (m.find()) {
      return new RankExit(Integer.parseInt(m.group(1)), "was killed by "
          + io.dflow.api.pipe.ExitStatus.signalName(Integer.parseInt(m.group(4))) + " (pid " + m.group(2)
          + " on " + m.group(3) + ")");
    }
    m = EXITED.matcher(text);
    if (m.find()) {
      return new RankExit(Integer.parseInt(m.group(1)), "exited with code " + m.group(2));
    }
    m = ABORTED.matcher(text);
    if (m.find()) {
      return new RankExit(Integer.parseInt(m.group(1)), "called MPI_Abort");
    }
    return null;
  }

  /** The last lines rank {@code rank} wrote to stderr. */
  String stderrTail(int rank) {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      Matcher m = TAGGED.matcher(line);
      if (m.matches() && Integer.parseInt(m.group(1)) == rank && m.group(2).equals("stderr")) {
        lines.add(m.group(3));
      }
    }
    return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
  }

  /** The last lines mpirun wrote itself (not a rank's output). */
  String ownTail() {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n", -1)) {
      if (!TAGGED.matcher(line).matches() && !line.isBlank() && !line.startsWith("-----")) {
        lines.add(line);
      }
    }
    return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
  }
}
