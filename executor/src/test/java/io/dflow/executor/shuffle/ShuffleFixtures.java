package io.dflow.executor.shuffle;

import io.dflow.api.Encoder;
import io.dflow.arrow.DeserializationPolicy;
import io.dflow.arrow.SegmentReader;
import io.dflow.executor.serde.JavaSerde;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/** Decoding shuffle segments the way a reduce task does, for the shuffle tests. */
final class ShuffleFixtures {
  private static final ClassLoader LOADER = ShuffleFixtures.class.getClassLoader();
  static final DeserializationPolicy POLICY = new DeserializationPolicy(LOADER, JavaSerde.filter(LOADER));

  private ShuffleFixtures() {}

  static List<Object> decode(byte[] segment, Encoder<?> encoder, BufferAllocator allocator)
      throws IOException {
    List<Object> records = new ArrayList<>();
    try (SegmentReader reader = SegmentReader.open(segment, encoder, allocator, POLICY)) {
      reader.forEachRemaining(records::add);
    }
    return records;
  }

  static ShuffleReader.SegmentDecoder decoder(Encoder<?> encoder, BufferAllocator allocator) {
    return (segment, sink) -> decode(segment, encoder, allocator).forEach(sink);
  }
}
