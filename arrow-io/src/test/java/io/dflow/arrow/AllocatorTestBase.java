package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.arrow.memory.BufferAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** Gives each test its own task allocator and fails the test if any Arrow memory leaked. */
abstract class AllocatorTestBase {
  protected BufferAllocator allocator;

  @BeforeEach
  void createAllocator(TestInfo test) {
    allocator = Allocators.forTask(test.getDisplayName(), 512L << 20);
  }

  @AfterEach
  void closeAllocator() {
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory leaked: " + allocator);
    allocator.close();
  }
}
