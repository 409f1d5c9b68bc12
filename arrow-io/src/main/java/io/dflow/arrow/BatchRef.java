package io.dflow.arrow;

import java.util.List;
import org.apache.arrow.vector.compression.CompressionUtil;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/**
 * Where one validated record batch lies in a segment: the offset of its message (named in
 * errors), its body's position and length, its field nodes, each Arrow buffer's offset and
 * stored length within the body, and, for a compressed batch, its codec and each buffer's
 * uncompressed length (checked against the bounds but not yet decompressed). For an
 * uncompressed batch {@code codec} is null and the uncompressed lengths are the stored ones.
 */
record BatchRef(int messageStart, int rows, int bodyStart, int bodyLength,
    List<ArrowFieldNode> nodes, long[] bufferOffsets, long[] bufferLengths,
    CompressionUtil.CodecType codec, long[] uncompressedLengths) {

  boolean compressed() {
    return codec != null;
  }
}
