package io.dflow.arrow;

import java.util.List;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;

/**
 * Where one validated record batch lies in a segment: its body's position and length, its
 * field nodes, and each Arrow buffer's offset and length within the body.
 */
record BatchRef(int rows, int bodyStart, int bodyLength, List<ArrowFieldNode> nodes,
    long[] bufferOffsets, long[] bufferLengths) {}
