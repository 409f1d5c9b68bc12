package io.dflow.arrow;

import com.github.luben.zstd.Zstd;
import java.util.Locale;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * How shuffle and spill blocks are compressed ({@code dflow.shuffle.compress.codec}): LZ4 by
 * default (fast; lz4-java, native where it loads, else pure Java), ZSTD (smaller, slower;
 * zstd-jni) or none. A block records its raw length, so decompression knows its output size
 * and a damaged block cannot make it allocate more.
 */
public enum Compression {
  NONE((byte) 0),
  LZ4((byte) 1),
  ZSTD((byte) 2);

  /** The configuration key naming the codec. */
  public static final String KEY = "dflow.shuffle.compress.codec";
  private static final int ZSTD_LEVEL = 3;

  private final byte id;

  Compression(byte id) {
    this.id = id;
  }

  byte id() {
    return id;
  }

  /** The codec a setting names: {@code lz4}, {@code zstd} or {@code none}. */
  public static Compression named(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(KEY + "=" + name + " is not a codec: use lz4, zstd or none");
    }
  }

  static Compression ofId(byte id) throws CorruptShuffleDataException {
    for (Compression c : values()) {
      if (c.id == id) {
        return c;
      }
    }
    throw new CorruptShuffleDataException("unknown compression codec id " + id);
  }

  /** The bytes {@code raw[0 .. length)} compressed; returns the compressed length written to {@code out} (grown as needed). */
  byte[] compress(byte[] raw, int length, byte[] out, int[] compressedLength) {
    switch (this) {
      case LZ4 -> {
        LZ4Compressor c = Lz4.COMPRESSOR;
        int max = c.maxCompressedLength(length);
        if (out.length < max) {
          out = new byte[max];
        }
        compressedLength[0] = c.compress(raw, 0, length, out, 0, max);
        return out;
      }
      case ZSTD -> {
        long max = Zstd.compressBound(length);
        if (out.length < max) {
          out = new byte[(int) max];
        }
        long n = Zstd.compressByteArray(out, 0, out.length, raw, 0, length, ZSTD_LEVEL);
        if (Zstd.isError(n)) {
          throw new IllegalStateException("zstd could not compress a block: " + Zstd.getErrorName(n));
        }
        compressedLength[0] = (int) n;
        return out;
      }
      default -> {
        compressedLength[0] = length;
        return raw;
      }
    }
  }

  /**
   * Decompresses {@code stored[0 .. storedLength)} into {@code out[0 .. rawLength)}.
   *
   * @throws CorruptShuffleDataException if the bytes do not decompress to exactly {@code rawLength} bytes
   */
  void decompress(byte[] stored, int storedLength, byte[] out, int rawLength) throws CorruptShuffleDataException {
    try {
      switch (this) {
        case LZ4 -> {
          int read = Lz4.DECOMPRESSOR.decompress(stored, 0, out, 0, rawLength);
          if (read != storedLength) {
            throw new CorruptShuffleDataException("an LZ4 block of " + storedLength + " bytes decoded from " + read);
          }
        }
        case ZSTD -> {
          long n = Zstd.decompressByteArray(out, 0, rawLength, stored, 0, storedLength);
          if (Zstd.isError(n) || n != rawLength) {
            throw new CorruptShuffleDataException("a zstd block did not decode to " + rawLength + " bytes"
                + (Zstd.isError(n) ? ": " + Zstd.getErrorName(n) : ""));
          }
        }
        default -> {
          if (storedLength != rawLength) {
            throw new CorruptShuffleDataException("an uncompressed block of " + storedLength
                + " bytes says it has " + rawLength);
          }
          System.arraycopy(stored, 0, out, 0, rawLength);
        }
      }
    } catch (net.jpountz.lz4.LZ4Exception e) {
      throw new CorruptShuffleDataException("a damaged LZ4 block: " + e.getMessage(), e);
    } catch (com.github.luben.zstd.ZstdException e) {
      throw new CorruptShuffleDataException("a damaged zstd block: " + e.getMessage(), e);
    }
  }

  /** The LZ4 codec, made once. */
  private static final class Lz4 {
    static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    static final LZ4FastDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().fastDecompressor();
  }
}
