package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.arrow.TestRecords.Point;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java-serialised columns go through the caller's class loader and filter. */
class JavaColumnPolicyTest extends AllocatorTestBase {
  private static final Encoder<Point> POINTS = Encoders.java(Point.class);

  @TempDir Path dir;

  @Test
  void filterThatRefusesTheClassFailsTheRecord() throws Exception {
    byte[] segment = pointSegment();
    DeserializationPolicy refuseAll = new DeserializationPolicy(
        getClass().getClassLoader(), ObjectInputFilter.Config.createFilter("!*"));
    try (SegmentReader reader = SegmentReader.open(segment, POINTS, allocator, refuseAll)) {
      assertTrue(reader.hasNext());
      UncheckedIOException e = assertThrows(UncheckedIOException.class, reader::next);
      assertInstanceOf(InvalidClassException.class, e.getCause());
      assertTrue(e.getMessage().contains("record 0"), e.getMessage());
    }
  }

  @Test
  void classesResolveThroughTheGivenLoader() throws Exception {
    byte[] segment = pointSegment();
    Set<String> asked = ConcurrentHashMap.newKeySet();
    ClassLoader recording = new ClassLoader(getClass().getClassLoader()) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        asked.add(name);
        return super.loadClass(name, resolve);
      }
    };
    DeserializationPolicy policy =
        new DeserializationPolicy(recording, TestRecords.POLICY.filter());
    try (SegmentReader reader = SegmentReader.open(segment, POINTS, allocator, policy)) {
      assertEquals(new Point(1, "a"), reader.next());
    }
    assertTrue(asked.contains(Point.class.getName()), asked.toString());
  }

  @Test
  void policyRequiresBothParts() {
    assertThrows(NullPointerException.class,
        () -> new DeserializationPolicy(getClass().getClassLoader(), null));
    assertThrows(NullPointerException.class,
        () -> new DeserializationPolicy(null, TestRecords.POLICY.filter()));
  }

  private byte[] pointSegment() throws Exception {
    ShuffleFixture fixture = new ShuffleFixture(dir, allocator);
    fixture.write(POINTS, List.of(List.of(new Point(1, "a"))), BatchLimits.DEFAULT);
    return Files.readAllBytes(fixture.data());
  }
}
