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
        + "physical memory limit; YARN says: running 700MB beyond the 'PHYSICAL' memory limit",
        ContainerEnds.describe(end(ContainerExitStatus.KILLED_EXCEEDED_PMEM,
            " running 700MB beyond the 'PHYSICAL' memory limit\n")));
    assertTrue(ContainerEnds.causedByApp(ContainerExitStatus.KILLED_EXCEEDED_PMEM), "the task took the memory");
    assertTrue(ContainerEnds.causedByApp(ContainerExitStatus.KILLED_EXCEEDED_VMEM));
  }

  @Test
  void preemptionAndLostNodesDoNotCountAgainstTheTasks() {
    assertTrue(ContainerEnds.describe(end(ContainerExitStatus.PREEMPTED, "")).endsWith(" was preempted by YARN"));
    assertTrue(ContainerEnds.describe(end(ContainerExitStatus.ABORTED, null)).endsWith(" was released or lost with its node"));
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
}
