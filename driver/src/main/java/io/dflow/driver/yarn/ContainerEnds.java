package io.dflow.driver.yarn;

import org.apache.hadoop.yarn.api.records.ContainerExitStatus;

/**
 * A container's end in words (YARN's exit status named, its node, the end of YARN's diagnostics)
 * and whether it counts against the attempts of the tasks it ran. Pure.
 */
final class ContainerEnds {
  private ContainerEnds() {}

  /**
   * Whether a container that ended so may have ended by its tasks' doing (a crash, more memory
   * than it was given), as Spark judges it: YARN preempting it, losing its node or its disks, or
   * killing it for reasons of its own does not count against the tasks' attempts.
   */
  static boolean causedByApp(int exitStatus) {
    return switch (exitStatus) {
      case ContainerExitStatus.ABORTED, ContainerExitStatus.DISKS_FAILED, ContainerExitStatus.PREEMPTED,
          ContainerExitStatus.KILLED_BY_APPMASTER, ContainerExitStatus.KILLED_BY_RESOURCEMANAGER,
          ContainerExitStatus.KILLED_AFTER_APP_COMPLETION, ContainerExitStatus.KILLED_BY_CONTAINER_SCHEDULER -> false;
      default -> true;
    };
  }

  /** How a container ended, in words: YARN's exit status named (and its number), its host, and YARN's diagnostics ({@link #shorten}). */
  static String describe(AmMessage.Ended end) {
    String how = switch (end.exitStatus()) {
      case -100 -> "was released or lost with its node";
      case -101 -> "failed: its node's disks failed";
      case -102 -> "was preempted by YARN";
      case -103 -> "was killed by YARN: over its virtual memory limit";
      case -104 -> "was killed by YARN: over its physical memory limit";
      case -105 -> "was killed by the application master";
      case -106 -> "was killed by the ResourceManager";
      case -107 -> "was killed as the application ended";
      case -108 -> "was killed by its NodeManager's container scheduler (preempted for another's container)";
      case -1 -> "could not start";
      default -> "exited with " + io.dflow.api.pipe.ExitStatus.describe(end.exitStatus());
    };
    if (end.exitStatus() < 0) {
      how += " (exit status " + end.exitStatus() + ")"; // YARN's own number, as its logs and tools show it
    }
    String diagnostics = shorten(end.diagnostics());
    return "container " + end.container() + (end.host().isEmpty() ? "" : " on " + end.host()) + " " + how
        + (diagnostics.isEmpty() ? "" : "; YARN says: " + diagnostics);
  }

  /**
   * YARN's diagnostics without the process tree a memory kill lists (every process's command
   * line, tens of kilobytes), kept to their head (what YARN says happened) and their tail (the
   * container's last words).
   */
  static String shorten(String diagnostics) {
    if (diagnostics == null) {
      return "";
    }
    String text = diagnostics.replaceAll("(?m)^\\s*\\|- .*(\\R|$)", "")
        .replaceAll("Dump of the process-tree for \\S+ :\\s*", "").replaceAll("\\R{3,}", "\n\n").strip();
    return text.length() <= 4000 ? text : text.substring(0, 1000) + " ... " + text.substring(text.length() - 3000);
  }
}
