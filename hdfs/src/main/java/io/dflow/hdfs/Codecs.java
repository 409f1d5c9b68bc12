package io.dflow.hdfs;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/**
 * Compressed input as Hadoop reads it: the codec a file's extension names, by Hadoop's
 * {@link CompressionCodecFactory} ({@code .gz}, {@code .bz2}, {@code .deflate}, and those of
 * {@code io.compression.codecs}), and its decompressed bytes, with failures that name the file,
 * the codec and the compressed byte offset. One factory is kept per configuration.
 *
 * <p>Threading: thread-safe; each stream {@link #open} returns is for one reader.
 */
public final class Codecs {
  private static final Map<Configuration, CompressionCodecFactory> FACTORIES =
      Collections.synchronizedMap(new WeakHashMap<>());

  /** The job setting that compresses text output. */
  public static final String OUTPUT_COMPRESS = "dflow.output.compress";
  /** The job setting naming the output codec: gzip (the default), bzip2, deflate, zstd, lz4, snappy. */
  public static final String OUTPUT_CODEC = "dflow.output.compress.codec";
  private static final Map<String, String> HADOOP_NAMES = Map.of("gzip", "gzip", "bzip2", "bzip2",
      "deflate", "default", "zstd", "zstandard", "lz4", "lz4", "snappy", "snappy");

  private Codecs() {}

  /**
   * The codec text output is written with under the job settings {@code conf}, or null when
   * {@value #OUTPUT_COMPRESS} is not true; checked, so a job fails before any task when the codec
   * is unknown or cannot run here.
   */
  public static CompressionCodec forOutput(Map<String, String> conf, Configuration hadoop) {
    if (!Boolean.parseBoolean(conf.getOrDefault(OUTPUT_COMPRESS, "false").trim())) {
      return null;
    }
    String name = conf.getOrDefault(OUTPUT_CODEC, "gzip").trim().toLowerCase(Locale.ROOT);
    String hadoopName = HADOOP_NAMES.get(name);
    CompressionCodec codec = hadoopName == null ? null
        : FACTORIES.computeIfAbsent(hadoop, CompressionCodecFactory::new).getCodecByName(hadoopName);
    if (codec == null) {
      throw new IllegalArgumentException(OUTPUT_CODEC + "=" + name + " is not a codec dflow writes: use one of "
          + String.join(", ", new java.util.TreeSet<>(HADOOP_NAMES.keySet())));
    }
    try (java.io.OutputStream probe = codec.createOutputStream(java.io.OutputStream.nullOutputStream())) {
      probe.flush();
    } catch (IOException | RuntimeException | LinkageError e) {
      throw new IllegalArgumentException(OUTPUT_CODEC + "=" + name + " cannot run here: " + e.getMessage());
    }
    return codec;
  }

  /** The codec of {@code path}, or null for a file that is not compressed. */
  public static CompressionCodec of(String path, Configuration conf) {
    return FACTORIES.computeIfAbsent(conf, CompressionCodecFactory::new).getCodec(new Path(path));
  }

  /** {@code gzip}, {@code bzip2}, {@code default} (deflate), ...: how messages name a codec. */
  public static String name(CompressionCodec codec) {
    return codec.getClass().getSimpleName().replaceFirst("Codec$", "").toLowerCase(Locale.ROOT);
  }

  /**
   * The decompressed bytes of the file {@code in} reads from its start; closing the stream
   * closes {@code in}.
   *
   * @throws IOException when the codec cannot run here (a native library it needs is missing)
   */
  public static InputStream open(CompressionCodec codec, String path, FSDataInputStream in) throws IOException {
    try {
      return new Decompressed(codec.createInputStream(in), path, name(codec), in);
    } catch (IOException | RuntimeException | LinkageError e) {
      in.close();
      throw new IOException("Cannot read " + path + ": its codec, " + name(codec) + ", cannot run here ("
          + e.getMessage() + ")", e);
    }
  }

  /** A decompressing stream whose read failures say which file, codec and compressed offset. */
  private static final class Decompressed extends FilterInputStream {
    private final String path;
    private final String codec;
    private final FSDataInputStream raw;

    Decompressed(InputStream in, String path, String codec, FSDataInputStream raw) {
      super(in);
      this.path = path;
      this.codec = codec;
      this.raw = raw;
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException | RuntimeException e) {
        throw damaged(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException | RuntimeException e) {
        throw damaged(e);
      }
    }

    private IOException damaged(Exception e) {
      long at;
      try {
        at = raw.getPos();
      } catch (IOException unknown) {
        at = -1;
      }
      return new BadInputException("Cannot decompress " + path + " (" + codec + "): " + e.getMessage()
          + (at < 0 ? "" : ", at compressed byte offset " + at), e);
    }
  }
}
