package io.dflow.streaming;

import io.dflow.api.Pair;
import io.dflow.api.function.PartitionFunction;
import io.dflow.api.pipe.ChildCommand;
import io.dflow.api.pipe.PipeStep;
import java.util.Iterator;

/**
 * A {@code -combiner} command over one sorted buffer of a map task: the pairs written as the
 * reducer gets them, the child's lines cut into key and value as the mapper's are.
 */
record ChildCombiner(ChildCommand command, PairLines encoder, ChildLaunch launch, FieldSplit output,
    long maxLineBytes, long drainMillis) implements PartitionFunction<Pair<byte[], byte[]>, Pair<byte[], byte[]>> {
  @Override
  public Iterator<Pair<byte[], byte[]>> apply(Iterator<Pair<byte[], byte[]>> sorted) {
    Iterator<Object> pairs = PipeStep.startInTask(command, launch, sorted, encoder, maxLineBytes, drainMillis)
        .decoded(output.pairs());
    @SuppressWarnings("unchecked")
    Iterator<Pair<byte[], byte[]>> typed = (Iterator<Pair<byte[], byte[]>>) (Iterator<?>) pairs;
    return typed;
  }
}
