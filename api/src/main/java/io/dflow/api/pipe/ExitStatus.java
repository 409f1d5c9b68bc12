package io.dflow.api.pipe;

import java.util.Map;

/** A child's exit code in words: a code above 128 is the signal that killed it (137 is SIGKILL). */
public final class ExitStatus {
  private static final Map<Integer, String> SIGNALS = Map.ofEntries(
      Map.entry(1, "SIGHUP"), Map.entry(2, "SIGINT"), Map.entry(3, "SIGQUIT"), Map.entry(4, "SIGILL"),
      Map.entry(6, "SIGABRT"), Map.entry(7, "SIGBUS"), Map.entry(8, "SIGFPE"), Map.entry(9, "SIGKILL"),
      Map.entry(11, "SIGSEGV"), Map.entry(13, "SIGPIPE"), Map.entry(14, "SIGALRM"), Map.entry(15, "SIGTERM"),
      Map.entry(24, "SIGXCPU"), Map.entry(25, "SIGXFSZ"));

  private ExitStatus() {}

  /** {@code code 1}, or {@code code 137 (killed by SIGKILL)}. */
  public static String describe(int code) {
    if (code > 128 && code < 160) {
      return "code " + code + " (killed by " + signalName(code - 128) + ")";
    }
    return "code " + code;
  }

  /** {@code SIGKILL} for 9; {@code signal 40} for one without a name here. */
  public static String signalName(int signal) {
    return SIGNALS.getOrDefault(signal, "signal " + signal);
  }
}
