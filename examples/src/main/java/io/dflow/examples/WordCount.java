package io.dflow.examples;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;

/**
 * Counts words: {@code WordCount <in> <out>} writes {@code word<TAB>count} lines under
 * {@code out}, words as split by {@link Tokenizer}.
 */
public final class WordCount implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: WordCount <in> <out>");
    }
    ctx.textFile(args[0])
        .flatMap(Tokenizer::tokens, Encoders.strings())
        .mapToPair(w -> Pair.of(w, 1L), Encoders.strings(), Encoders.longs())
        .reduceByKey(Long::sum)
        .saveAsTextFile(args[1]);
  }
}
