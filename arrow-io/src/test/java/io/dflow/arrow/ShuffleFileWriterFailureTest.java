package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShuffleFileWriterFailureTest extends ShuffleTestBase {
  @Test
  void failingInputLeavesNoFiles() throws Exception {
    ShuffleFileWriter writer = new ShuffleFileWriter(Encoders.longs(), allocator);
    RuntimeException failure = new IllegalStateException("combiner failed");
    Iterator<Long> failing = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Long next() {
        throw failure;
      }
    };
    RuntimeException thrown = assertThrows(RuntimeException.class, () -> writer.write(
        fixture.data(), fixture.index(), 3, p -> p == 1 ? failing : List.of(1L).iterator()));
    assertEquals(failure, thrown);
    assertEquals(List.of(), fixture.listDir());
  }

  @Test
  void recordOfTheWrongTypeIsNamedAndLeavesNoFiles() throws Exception {
    ShuffleFileWriter writer =
        new ShuffleFileWriter(Encoders.pairs(Encoders.strings(), Encoders.longs()), allocator);
    List<Object> records = Arrays.asList(Pair.of("a", 1L), Pair.of("b", 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
        writer.write(fixture.data(), fixture.index(), 1, p -> records.iterator()));
    assertTrue(e.getMessage().contains("partition 0"), e.getMessage());
    assertTrue(e.getMessage().contains("record 1"), e.getMessage());
    assertTrue(e.getMessage().contains("pair<string,long>"), e.getMessage());
    assertEquals(List.of(), fixture.listDir());
  }

  @Test
  void nullPairRecordIsRefused() throws Exception {
    ShuffleFileWriter writer =
        new ShuffleFileWriter(Encoders.pairs(Encoders.strings(), Encoders.longs()), allocator);
    List<Object> records = Arrays.asList(Pair.of("a", 1L), null);
    assertThrows(IllegalArgumentException.class, () ->
        writer.write(fixture.data(), fixture.index(), 1, p -> records.iterator()));
    assertEquals(List.of(), fixture.listDir());
  }

  @Test
  void unserialisableValueFailsWithIOExceptionAndLeavesNoFiles() throws Exception {
    ShuffleFileWriter writer = new ShuffleFileWriter(Encoders.javaUnchecked(Object.class), allocator);
    assertThrows(java.io.NotSerializableException.class, () -> writer.write(fixture.data(),
        fixture.index(), 1, p -> List.<Object>of(new Object()).iterator()));
    assertEquals(List.of(), fixture.listDir());
  }
}
