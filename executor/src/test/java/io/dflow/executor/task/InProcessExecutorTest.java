package io.dflow.executor.task;

import io.dflow.executor.Executor;
import io.dflow.executor.ExecutorConf;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh in-process executor with two slots per test, as {@code local[2]} has, whose status
 * updates go to {@link #reports}; jobs are planned with {@link #planning}.
 */
abstract class InProcessExecutorTest {
  static final ClassLoader LOADER = Tasks.LOADER;
  static final long STORAGE_MEMORY = 8L << 20;

  @TempDir
  Path tmp;
  Executor executor;
  final Tasks.Reports reports = new Tasks.Reports();
  final Tasks.Planning planning = new Tasks.Planning();

  @BeforeEach
  void startExecutor() throws IOException {
    executor = new Executor(new ExecutorConf("exec-1", "localhost", 2, tmp.resolve("local"), STORAGE_MEMORY),
        sha -> LOADER, null, planning::broadcastBytes, reports);
  }

  @AfterEach
  void stopExecutor() {
    executor.close();
  }
}
