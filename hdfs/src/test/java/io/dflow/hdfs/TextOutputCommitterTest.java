package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committer on the local file system; {@link MiniDfsClusterTest} runs the same on HDFS. */
class TextOutputCommitterTest {
  @TempDir
  Path dir;

  private CommitterScenarios scenarios;

  @BeforeEach
  void setUp() {
    scenarios = new CommitterScenarios(HadoopConf.create(Map.of()), dir.toUri().toString());
  }

  @Test
  void successPublishesEveryPartitionThenSuccess() throws IOException {
    scenarios.successPublishesEveryPartitionThenSuccess();
  }

  @Test
  void aJobWritingAPathKeepsOthersOffIt() throws IOException {
    scenarios.aJobWritingAPathKeepsOthersOffIt();
  }

  @Test
  void jobsStartedTogetherOnOnePathLetExactlyOneIn() throws Exception {
    scenarios.jobsStartedTogetherOnOnePathLetExactlyOneIn();
  }

  @Test
  void aStaleClaimOfADeadProcessIsCleanedUp() throws Exception {
    scenarios.aStaleClaimOfADeadProcessIsCleanedUp();
  }

  @Test
  void abortLeavesNothing() throws IOException {
    scenarios.abortLeavesNothing();
  }

  @Test
  void anAbortWhileTasksStillRunLeavesNothingTheyCanBringBack() throws IOException {
    scenarios.anAbortWhileTasksStillRunLeavesNothingTheyCanBringBack();
  }

  @Test
  void failedCommitOfAMissingPartitionThenAbortLeavesNothing() throws IOException {
    scenarios.failedCommitOfAMissingPartitionThenAbortLeavesNothing();
  }

  @Test
  void existingOutputIsRefusedUnlessOverwrite() throws IOException {
    scenarios.existingOutputIsRefusedUnlessOverwrite();
  }

  @Test
  void anAttemptDeniedTheCommitLeavesNothingAndTheHolderCommits() throws IOException {
    scenarios.anAttemptDeniedTheCommitLeavesNothingAndTheHolderCommits();
  }

  @Test
  void aSecondAttemptOfACommittedPartitionIsDiscarded() throws IOException {
    scenarios.aSecondAttemptOfACommittedPartitionIsDiscarded();
  }

  @Test
  void racingAttemptsCommitExactlyOnce() throws Exception {
    scenarios.racingAttemptsCommitExactlyOnce();
  }

  @Test
  void aWriterClosedWithoutCommitLeavesNothing() throws IOException {
    scenarios.aWriterClosedWithoutCommitLeavesNothing();
  }

  @Test
  void aClaimOfAnEarlierAttemptOfTheSameYarnApplicationIsStaleOnAnyHost() {
    var attempt2 = TextOutputCommitter.attemptOf("container_1796164754983_0007_02_000001");
    assertEquals("appattempt_1796164754983_0007_000002", attempt2.toString());
    assertTrue(TextOutputCommitter.isEarlierAttempt("job-1 4242@other-host appattempt_1796164754983_0007_000001", attempt2));
    assertFalse(TextOutputCommitter.isEarlierAttempt("job-1 4242@other-host appattempt_1796164754983_0007_000002", attempt2),
        "this attempt's own");
    assertFalse(TextOutputCommitter.isEarlierAttempt("job-1 4242@other-host appattempt_1796164754983_0008_000001", attempt2),
        "another application's");
    assertFalse(TextOutputCommitter.isEarlierAttempt("job-1 4242@other-host", attempt2), "not in YARN");
    assertFalse(TextOutputCommitter.isEarlierAttempt("job-1 4242@other-host appattempt_1796164754983_0007_000001", null),
        "this driver is not in YARN");
    assertNull(TextOutputCommitter.attemptOf(null));
    assertNull(TextOutputCommitter.attemptOf("not-a-container"));
  }
}
