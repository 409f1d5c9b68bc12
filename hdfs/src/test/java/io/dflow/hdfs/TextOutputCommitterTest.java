package io.dflow.hdfs;

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
}
