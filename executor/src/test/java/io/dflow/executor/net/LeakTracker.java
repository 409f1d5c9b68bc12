package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Turns Netty's leak detection to PARANOID (every buffer tracked) and records the leaks it
 * reports, so a test class can fail on them instead of only logging them. Use it as
 * {@code @ExtendWith(LeakTracker.class)}: before the class's tests it installs the tracking,
 * after them it fails the class if any buffer leaked.
 */
final class LeakTracker implements BeforeAllCallback, AfterAllCallback {
  private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
  private static boolean installed;

  @Override
  public void beforeAll(ExtensionContext context) {
    install();
  }

  @Override
  public void afterAll(ExtensionContext context) throws InterruptedException {
    assertNoLeaks();
  }

  private static synchronized void install() {
    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    if (installed) {
      return;
    }
    try {
      // The detector every ByteBuf is tracked by; a listener sees each leak it finds.
      Field field = Class.forName("io.netty.buffer.AbstractByteBuf").getDeclaredField("leakDetector");
      field.setAccessible(true);
      ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
      detector.setLeakListener((type, records) -> LEAKS.add(type + ": " + records));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("cannot hook Netty's buffer leak detector", e);
    }
    installed = true;
  }

  /** Collects garbage, lets the detector look at what was collected, and fails on any leak. */
  private static void assertNoLeaks() throws InterruptedException {
    for (int round = 0; round < 4; round++) {
      System.gc();
      Thread.sleep(25);
      for (int i = 0; i < 64; i++) {
        // With PARANOID every allocation is tracked, and tracking first reports collected leaks.
        ByteBufAllocator.DEFAULT.buffer(8).release();
      }
    }
    List<String> leaks = new ArrayList<>(LEAKS);
    LEAKS.clear();
    assertTrue(leaks.isEmpty(), "Netty buffers leaked:\n" + String.join("\n", leaks));
  }
}
