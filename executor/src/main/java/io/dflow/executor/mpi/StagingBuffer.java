package io.dflow.executor.mpi;

import io.dflow.api.mpi.Datatype;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

/**
 * A direct buffer that Java arrays are copied through on their way to MPI: its address, and
 * bulk copies to and from arrays in native byte order. Positions are element indexes.
 */
final class StagingBuffer {
  private final ByteBuffer bytes;
  private final DoubleBuffer doubles;
  private final LongBuffer longs;
  private final IntBuffer ints;
  private final long address;

  StagingBuffer(int capacity) {
    bytes = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
    doubles = bytes.asDoubleBuffer();
    longs = bytes.asLongBuffer();
    ints = bytes.asIntBuffer();
    address = MpiNative.address(bytes);
  }

  int capacity() {
    return bytes.capacity();
  }

  /** The address of element {@code at} of {@code type}. */
  long address(int at, Datatype type) {
    return address + (long) at * type.bytes();
  }

  /** Copies {@code count} elements of {@code array} from {@code offset} to element {@code at}. */
  void put(int at, Object array, int offset, int count, Datatype type) {
    switch (type) {
      case DOUBLE -> doubles.put(at, (double[]) array, offset, count);
      case LONG -> longs.put(at, (long[]) array, offset, count);
      case INT -> ints.put(at, (int[]) array, offset, count);
      case BYTE -> bytes.put(at, (byte[]) array, offset, count);
    }
  }

  /** Copies {@code count} elements from element {@code at} into {@code array} at {@code offset}. */
  void get(int at, Object array, int offset, int count, Datatype type) {
    switch (type) {
      case DOUBLE -> doubles.get(at, (double[]) array, offset, count);
      case LONG -> longs.get(at, (long[]) array, offset, count);
      case INT -> ints.get(at, (int[]) array, offset, count);
      case BYTE -> bytes.get(at, (byte[]) array, offset, count);
    }
  }
}
