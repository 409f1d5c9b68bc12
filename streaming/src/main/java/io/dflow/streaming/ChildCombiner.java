package io.dflow.streaming;

import io.dflow.api.Pair;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.pipe.ChildCommand;
import io.dflow.api.pipe.PipeStep;
import io.dflow.api.pipe.PipedProcess;
import java.util.Iterator;

/**
 * A {@code -combiner} command over one sorted buffer of a map task: the pairs written as the
 * reducer gets them, the child's lines cut into key and value as the mapper's are.
 */
record ChildCombiner(ChildCommand command, PairLines encoder, ChildLaunch launch, FieldSplit output,
    long maxLineBytes, long drainMillis) implements PartitionFunction<Pair<byte[], byte[]>, Pair<byte[], byte[]>> {
  @Override
  public Iterator<Pair<byte[], byte[]>> apply(Iterator<Pair<byte[], byte[]>> sorted) {
    PipedProcess child = PipeStep.startInTask(command, launch, sorted, encoder, maxLineBytes, drainMillis);
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return child.hasNext();
      }

      @Override
      public Pair<byte[], byte[]> next() {
        return output.split(child.next());
      }
    };
  }
}
