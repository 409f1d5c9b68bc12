package io.dflow.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The process-wide Arrow root allocator and the named per-task child allocators under it.
 *
 * <p>The root is created on first use. Its limit is, in order: the value given to
 * {@link #setRootLimit(long)} before first use, the system property {@value #ROOT_LIMIT_PROPERTY},
 * or unlimited (direct memory is then bounded by the JVM alone). Closing a task allocator
 * while buffers are still out throws {@link IllegalStateException}: that is how leaks surface.
 */
public final class Allocators {
  /** System property with the root allocator's limit in bytes. */
  public static final String ROOT_LIMIT_PROPERTY = "dflow.arrow.rootLimitBytes";

  private static Long requestedLimit;
  private static BufferAllocator root;

  private Allocators() {}

  /** Sets the root limit; only allowed before the root allocator is first used. */
  public static synchronized void setRootLimit(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("root allocator limit must be positive: " + bytes);
    }
    if (root != null) {
      throw new IllegalStateException(
          "the Arrow root allocator already exists (limit " + root.getLimit() + " bytes)");
    }
    requestedLimit = bytes;
  }

  /** The process-wide root allocator, created on first call. Never close it. */
  public static synchronized BufferAllocator root() {
    if (root == null) {
      root = new RootAllocator(rootLimit());
    }
    return root;
  }

  /**
   * A new child allocator for one task. The caller owns it and closes it when the task ends;
   * closing with buffers still allocated throws.
   */
  public static BufferAllocator forTask(String name, long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("task allocator limit must be positive: " + limit);
    }
    return root().newChildAllocator(name, 0, limit);
  }

  private static long rootLimit() {
    if (requestedLimit != null) {
      return requestedLimit;
    }
    String property = System.getProperty(ROOT_LIMIT_PROPERTY);
    if (property == null || property.isBlank()) {
      return Long.MAX_VALUE;
    }
    try {
      long limit = Long.parseLong(property.trim());
      if (limit <= 0) {
        throw new NumberFormatException("not positive");
      }
      return limit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          ROOT_LIMIT_PROPERTY + " must be a positive number of bytes, got '" + property + "'", e);
    }
  }
}
