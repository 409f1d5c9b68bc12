package io.dflow.driver.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.hadoop.yarn.api.records.ContainerExitStatus;
import org.junit.jupiter.api.Test;

/** How a container's end is told, and which ends count against the attempts of the tasks it ran. */
class ContainerEndsTest {
  private static AmMessage.Ended end(int status, String diagnostics) {
    return new AmMessage.Ended("exec-3", "container_1796165073550_0004_01_000003", "node7:45707", status, diagnostics);
  }

  @Test
  void aMemoryKillIsNamedWithWhatYarnSaid() {
    assertEquals("container container_1796165073550_0004_01_000003 on node7:45707 was killed by YARN: over its "
        + "physical memory limit (exit status -104); YARN says: running 700MB beyond the 'PHYSICAL' memory limit",
        ContainerEnds.describe(end(ContainerExitStatus.KILLED_EXCEEDED_PMEM,
            " running 700MB beyond the 'PHYSICAL' memory limit\n")));
    assertTrue(ContainerEnds.causedByApp(ContainerExitStatus.KILLED_EXCEEDED_PMEM), "the task took the memory");
    assertTrue(ContainerEnds.causedByApp(ContainerExitStatus.KILLED_EXCEEDED_VMEM));
  }

  @Test
  void preemptionAndLostNodesDoNotCountAgainstTheTasks() {
    assertTrue(ContainerEnds.describe(end(ContainerExitStatus.PREEMPTED, "")).endsWith(" was preempted by YARN (exit status -102)"));
    assertTrue(ContainerEnds.describe(end(ContainerExitStatus.ABORTED, null)).endsWith(" was released or lost with its node (exit status -100)"));
    for (int status : new int[] {ContainerExitStatus.PREEMPTED, ContainerExitStatus.ABORTED,
        ContainerExitStatus.DISKS_FAILED, ContainerExitStatus.KILLED_BY_RESOURCEMANAGER,
        ContainerExitStatus.KILLED_BY_APPMASTER, ContainerExitStatus.KILLED_AFTER_APP_COMPLETION,
        ContainerExitStatus.KILLED_BY_CONTAINER_SCHEDULER}) {
      assertFalse(ContainerEnds.causedByApp(status), "exit status " + status);
    }
  }

  @Test
  void aProcessThatExitedItselfCountsAndIsToldByItsCode() {
    assertTrue(ContainerEnds.causedByApp(1));
    assertTrue(ContainerEnds.causedByApp(137));
    assertTrue(ContainerEnds.describe(end(1, "")).contains(" exited with code 1"), ContainerEnds.describe(end(1, "")));
  }

  @Test
  void aMemoryKillsProcessTreeIsLeftOutAndItsHeadlineKept() {
    String tree = "\t|- PID PPID PGRPID SESSID CMD_NAME FULL_CMD_LINE\n"
        + ("\t|- 31449 31385 31385 31385 (java) 440 58 4001054720 213338 java -cp " + "x.jar:".repeat(800) + "\n").repeat(3);
    String diagnostics = "[2026-12-02 01:25:21.329]Container [pid=31385,containerID=container_1_0004_01_000003] is "
        + "running 707731456B beyond the 'PHYSICAL' memory limit. Current usage: 1.1 GB of 448 MB physical memory used; "
        + "3.8 GB of 940.8 MB virtual memory used. Killing container.\nDump of the process-tree for "
        + "container_1_0004_01_000003 :\n" + tree + "\n[2026-12-02 01:25:21.334]Container killed on request. Exit code is 143\n"
        + "[2026-12-02 01:25:21.335]Container exited with a non-zero exit code 143.\n";
    String said = ContainerEnds.describe(end(ContainerExitStatus.KILLED_EXCEEDED_PMEM, diagnostics));
    assertTrue(said.contains("over its physical memory limit (exit status -104); YARN says: [2026-12-02 01:25:21.329]"
        + "Container [pid=31385,containerID=container_1_0004_01_000003] is running 707731456B beyond the 'PHYSICAL' "
        + "memory limit. Current usage: 1.1 GB of 448 MB physical memory used; "), said);
    assertTrue(said.endsWith("Killing container.\n[2026-12-02 01:25:21.334]Container killed on request. Exit code is 143\n"
        + "[2026-12-02 01:25:21.335]Container exited with a non-zero exit code 143."), said);
    assertFalse(said.contains("x.jar"), said);
  }

  @Test
  void longDiagnosticsKeepTheirHeadAndTail() {
    String said = ContainerEnds.shorten("head " + "y".repeat(10_000) + " tail");
    assertTrue(said.startsWith("head yyy") && said.endsWith("yyy tail") && said.contains(" ... "), said);
    assertTrue(said.length() < 4100, "length " + said.length());
  }
}
