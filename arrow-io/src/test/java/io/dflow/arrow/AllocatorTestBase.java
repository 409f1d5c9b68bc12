package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dflow.api.Encoder;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.compression.NoCompressionCodec;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowBodyCompression;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
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

  /** A segment of the encoder's schema, one uncompressed batch with the given nodes and buffers, and EOS. */
  protected byte[] craft(Encoder<?> encoder, int rows, List<ArrowFieldNode> nodes, byte[]... buffers)
      throws Exception {
    return craft(encoder, rows, nodes, NoCompressionCodec.DEFAULT_BODY_COMPRESSION, buffers);
  }

  /** A segment of the encoder's schema, one batch with these nodes and stored buffers, and EOS. */
  protected byte[] craft(Encoder<?> encoder, int rows, List<ArrowFieldNode> nodes,
      ArrowBodyCompression compression, byte[]... buffers) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WriteChannel channel = new WriteChannel(Channels.newChannel(bytes));
    channel.write(RecordLayout.of(encoder).schemaMessage());
    List<ArrowBuf> arrowBuffers = new ArrayList<>();
    try {
      for (byte[] content : buffers) {
        ArrowBuf buffer = allocator.buffer(content.length);
        buffer.setBytes(0, content);
        buffer.writerIndex(content.length);
        arrowBuffers.add(buffer);
      }
      try (ArrowRecordBatch batch = new ArrowRecordBatch(rows, nodes, arrowBuffers, compression)) {
        MessageSerializer.serialize(channel, batch);
      }
    } finally {
      arrowBuffers.forEach(ArrowBuf::close);
    }
    ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
    return bytes.toByteArray();
  }
}
