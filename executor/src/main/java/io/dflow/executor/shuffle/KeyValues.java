package io.dflow.executor.shuffle;

import io.dflow.api.Encoder;
import io.dflow.arrow.RowCodec;
import io.dflow.arrow.Run;
import io.dflow.arrow.RunReader;
import io.dflow.arrow.RunWriter;
import io.dflow.executor.memory.MemoryConsumer;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The values of one key that a sort-merge join holds while the other side's values of that key
 * pass: a list while the task's execution memory grants room for it, then a checksummed,
 * compressed run file in the task's scratch folder (the list written out first), read again
 * from the start for every value passing. {@link #clear} empties it (and deletes the file) for
 * the next key.
 *
 * <p>Threading: its task's thread only.
 */
final class KeyValues extends MemoryConsumer implements Closeable {
  private static final long STEP = 64 * 1024;
  private static final long SLOT = 8;

  private final SortSettings settings;
  private final RowCodec codec;
  private final List<Object> held = new ArrayList<>();
  private long heldBytes;
  private RunWriter writer;
  private Run run;
  private RunReader reader;
  private long size;

  KeyValues(SortSettings settings, Encoder<?> valueEncoder) {
    super(settings.memory());
    this.settings = settings;
    this.codec = RowCodec.of(valueEncoder, settings.policy());
  }

  void add(Object value) throws IOException {
    size++;
    if (writer == null) {
      heldBytes += ObjectSizes.of(value) + SLOT;
      if (cover(heldBytes)) {
        held.add(value);
        return;
      }
      writer = new RunWriter(settings.spillFiles().get(), codec, settings.compression(), 1);
      writer.startPartition(0);
      for (Object v : held) {
        writer.write(v);
      }
      held.clear();
      releaseAll();
    }
    writer.write(value);
  }

  private boolean cover(long bytes) {
    while (used() < bytes) {
      if (acquire(STEP) < STEP) {
        return false;
      }
    }
    return true;
  }

  long size() {
    return size;
  }

  /** Whether the values went to disk. */
  boolean spilled() {
    return writer != null;
  }

  /** The values from the first; an iterator taken earlier must not be used after this. */
  Iterator<Object> values() throws IOException {
    if (writer == null) {
      return held.iterator();
    }
    if (run == null) {
      run = writer.finish();
      writer.close();
      settings.metrics().spilled(run.bytes());
    }
    closeReader();
    reader = new RunReader(run, 0, codec);
    return reader;
  }

  private void closeReader() throws IOException {
    if (reader != null) {
      reader.close();
      reader = null;
    }
  }

  /** Empties it for the next key, deleting its file if it had one. */
  void clear() {
    try {
      closeReader();
      if (writer != null) {
        writer.close();
        if (run != null) {
          Files.deleteIfExists(run.file());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    writer = null;
    run = null;
    held.clear();
    heldBytes = 0;
    size = 0;
    releaseAll();
  }

  @Override
  public void spill() {
    // not asked from outside: values of one key go to disk by themselves when memory runs short
  }

  @Override
  public void close() throws IOException {
    clear();
    super.close();
  }
}
