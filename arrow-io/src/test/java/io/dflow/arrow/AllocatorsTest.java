package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.junit.jupiter.api.Test;

class AllocatorsTest {

  @Test
  void taskAllocatorIsANamedChildWithItsLimit() {
    try (BufferAllocator task = Allocators.forTask("task-1", 1 << 20)) {
      assertEquals("task-1", task.getName());
      assertEquals(1 << 20, task.getLimit());
      assertSame(Allocators.root(), task.getParentAllocator());
      assertThrows(OutOfMemoryException.class, () -> task.buffer(2 << 20));
      assertEquals(0, task.getAllocatedMemory());
    }
  }

  @Test
  void closingWithBuffersOutstandingThrows() {
    BufferAllocator task = Allocators.forTask("leaky", 1 << 20);
    ArrowBuf buffer = task.buffer(1024);
    IllegalStateException e = assertThrows(IllegalStateException.class, task::close);
    assertTrue(e.getMessage().contains("leaky"), e.getMessage());
    // Arrow marks the allocator closed anyway, so the 1 KiB stays charged to the test JVM's root.
    assertEquals(1024, buffer.capacity());
  }

  @Test
  void rootLimitCannotChangeOnceTheRootExists() {
    Allocators.root();
    assertThrows(IllegalStateException.class, () -> Allocators.setRootLimit(1 << 30));
    assertThrows(IllegalArgumentException.class, () -> Allocators.forTask("t", 0));
  }
}
