package io.dflow.streaming;

import io.dflow.api.KeyComparator;
import io.dflow.api.Pair;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.pipe.ChildCommand;
import io.dflow.api.pipe.PipeStep;
import io.dflow.api.pipe.PipedProcess;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The {@code -combiner} of a map task, as Hadoop runs it: the mapper's pairs are gathered in a
 * buffer of about {@code bufferBytes}, sorted by key, and piped through one combiner process per
 * buffer (Hadoop runs one per spill); the combiner's output lines are the task's map output. A
 * combiner may so run several times in a task, and its input never holds more than one buffer.
 */
record Combine(ChildCommand command, PairLines encoder, ChildLaunch launch, KeyComparator<Object> order,
    long bufferBytes, long maxLineBytes, long drainMillis)
    implements PartitionFunction<Pair<byte[], byte[]>, byte[]> {
  /** Heap a buffered pair costs beyond its bytes: the pair and two arrays. */
  private static final int PAIR_OVERHEAD = 64;

  @Override
  public Iterator<byte[]> apply(Iterator<Pair<byte[], byte[]>> input) {
    Comparator<Pair<byte[], byte[]>> byKey = (a, b) -> order.compare(a.key(), b.key());
    return new Iterator<>() {
      private PipedProcess current;

      @Override
      public boolean hasNext() {
        while (current == null || !current.hasNext()) {
          if (!input.hasNext()) {
            return false;
          }
          List<Pair<byte[], byte[]>> buffer = new ArrayList<>();
          long bytes = 0;
          while (bytes < bufferBytes && input.hasNext()) {
            Pair<byte[], byte[]> pair = input.next();
            buffer.add(pair);
            bytes += pair.key().length + pair.value().length + PAIR_OVERHEAD;
          }
          buffer.sort(byKey); // stable: a key's values keep the mapper's order
          current = start(buffer.iterator());
        }
        return true;
      }

      @Override
      public byte[] next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  private PipedProcess start(Iterator<Pair<byte[], byte[]>> sorted) {
    return PipeStep.startInTask(command, launch, sorted, encoder, maxLineBytes, drainMillis);
  }
}
