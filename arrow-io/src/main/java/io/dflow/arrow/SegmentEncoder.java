package io.dflow.arrow;

import io.dflow.api.Encoder;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import java.util.Iterator;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Writes a whole partition's records as one Arrow IPC segment (the format of one shuffle
 * partition) to a channel: how cached partitions and partitions kept within a task are stored.
 * Read them back with {@link SegmentReader}.
 */
public final class SegmentEncoder {
  private SegmentEncoder() {}

  /**
   * Encodes every record of {@code records} with {@code encoder}'s layout into {@code out}; an
   * empty input writes nothing.
   *
   * @return the records written
   * @throws IllegalArgumentException if a record does not match the encoder
   */
  public static long write(Iterator<?> records, Encoder<?> encoder, BufferAllocator allocator,
      WritableByteChannel out) throws IOException {
    try (SegmentWriter writer = new SegmentWriter(RecordLayout.of(encoder), allocator, BatchLimits.DEFAULT)) {
      return writer.write(records, out).records();
    }
  }
}
