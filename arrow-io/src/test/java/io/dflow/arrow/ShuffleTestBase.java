package io.dflow.arrow;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * For tests that write map outputs: a fresh temporary directory and a {@link ShuffleFixture} on
 * it, bound to the test's allocator (created first, by {@link AllocatorTestBase}).
 */
abstract class ShuffleTestBase extends AllocatorTestBase {
  @TempDir Path dir;
  protected ShuffleFixture fixture;

  @BeforeEach
  void createFixture() {
    fixture = new ShuffleFixture(dir, allocator);
  }
}
