/**
 * Records as Arrow columns, and the shuffle file format built on them.
 *
 * <p>A stage's {@link io.dflow.api.Encoder} decides the columns ({@link RecordLayout}): a scalar
 * is one column named {@code value}, a pair is a {@code key} and a {@code value} column, and
 * anything else (including a pair nested in a pair) is a binary column of Java serialisation.
 *
 * <p>A map task writes one data file and one index file ({@link ShuffleFileWriter}). The data
 * file holds, for each reduce partition in order, one Arrow IPC stream segment (schema, record
 * batches, end-of-stream); an empty partition is a zero-length segment. The index file holds
 * {@code numPartitions + 1} big-endian longs: the segment offsets ({@link ShuffleIndex}). A
 * reducer decodes the bytes of one segment, fetched from another executor, with
 * {@link SegmentReader}, which treats those bytes as untrusted.
 *
 * <p>Segments are compressed the Arrow-standard way, so any Arrow reader with LZ4 and zstd
 * codecs reads them: each record batch carries IPC body compression with codec
 * {@code LZ4_FRAME} (LZ4 frame format, lz4-java) or {@code ZSTD} (zstd-jni) as
 * {@link Compression} ({@code dflow.shuffle.compress.codec}) says, method {@code BUFFER}, every
 * buffer prefixed by its uncompressed length as a little-endian int64, or {@code -1} when it is
 * left raw because compressing does not pay ({@link BufferCodec}); {@link Compression#NONE}
 * writes uncompressed batches. A reader accepts either codec whatever its own setting, bounds
 * every announced length before allocating, and checks decompressed offsets before reading.
 *
 * <p>Arrow memory comes from one root allocator per process and one child allocator per task
 * ({@link Allocators}); whoever creates a reader or writer owns it and must close it.
 *
 * <p>This package depends on {@code io.dflow.api} and Arrow only: no Hadoop, no Netty, no
 * executor or driver code.
 */
package io.dflow.arrow;
