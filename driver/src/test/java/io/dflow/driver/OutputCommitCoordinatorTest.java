package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.driver.scheduler.ListenerEvent;
import io.dflow.driver.scheduler.Locality;
import io.dflow.executor.CommitRequests;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.StageId;
import io.dflow.executor.protocol.TaskAttempt;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.protocol.TaskMetrics;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One attempt per partition commits: the first to ask, until it fails; requests are parsed strictly. */
class OutputCommitCoordinatorTest {
  private final OutputCommitCoordinator commits = new OutputCommitCoordinator();

  private void ended(long taskId, int partition, TaskEndReason reason) {
    TaskAttempt attempt = new TaskAttempt(taskId, new StageAttemptId(new StageId(1), 0), partition, 0);
    commits.onEvent(new ListenerEvent.TaskEnd(null,
        new TaskEnded(attempt, new ExecutorId("e"), reason, TaskMetrics.NONE), Locality.ANY));
  }

  @Test
  void theFirstAttemptToAskCommitsAndTheOthersAreDenied() {
    assertTrue(commits.mayCommit("app_0", 3, 10));
    assertFalse(commits.mayCommit("app_0", 3, 11), "its copy is denied");
    assertTrue(commits.mayCommit("app_0", 3, 10), "the holder may ask again");
    assertTrue(commits.mayCommit("app_0", 4, 11), "partitions are independent");
    assertTrue(commits.mayCommit("app_1", 3, 12), "jobs are independent");
    ended(10, 3, new TaskEndReason.Success(null, List.of(), List.of(), Map.of()));
    assertFalse(commits.mayCommit("app_0", 3, 13), "a holder that succeeded keeps the right");
  }

  @Test
  void aHolderThatFailsFreesTheRight() {
    assertTrue(commits.mayCommit("app_0", 0, 1));
    ended(1, 0, new TaskEndReason.ExecutorLost(new ExecutorId("e"), "its connection closed"));
    assertTrue(commits.mayCommit("app_0", 0, 2), "the retry commits");
    ended(3, 0, new TaskEndReason.Killed("commit denied"));
    assertFalse(commits.mayCommit("app_0", 0, 4), "a denied attempt's end frees nothing");
    commits.jobEnded("app_0");
    assertTrue(commits.mayCommit("app_0", 0, 5), "an ended job's rights are forgotten");
  }

  @Test
  void onlyWellFormedRequestsAreCommitRequests() {
    assertEquals(new CommitRequests.Request("app-1_2", 7, 42), CommitRequests.parse(CommitRequests.blockId("app-1_2", 7, 42)));
    for (String bad : List.of("commit/../etc/passwd/1", "commit/a/b/c", "commit/a/1", "commit/a/1/2/3",
        "commit//1/2", "commit/a b/1/2", "commit/a/-1/2", "commit/a/99999999999/2", "jar/x")) {
      assertNull(CommitRequests.parse(bad), bad);
    }
  }
}
