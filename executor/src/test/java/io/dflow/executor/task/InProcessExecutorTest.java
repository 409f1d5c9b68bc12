package io.dflow.executor.task;

import io.dflow.executor.Executor;
import io.dflow.executor.ExecutorConf;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh in-process executor with two slots per test, as {@code local[2]} has. */
abstract class InProcessExecutorTest {
  static final ClassLoader LOADER = InProcessExecutorTest.class.getClassLoader();

  @TempDir
  Path tmp;
  Executor executor;

  @BeforeEach
  void startExecutor() throws IOException {
    executor = new Executor(new ExecutorConf("exec-1", "localhost", 2, tmp.resolve("local")), sha -> LOADER, null);
  }

  @AfterEach
  void stopExecutor() {
    executor.close();
  }
}
