package io.dflow.api;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Random;

/** Bernoulli and Poisson sampling of a partition's records, behind {@link Dataset#sample}. */
final class Sampler {
  private Sampler() {}

  /** The sampled records of {@code records}, drawn lazily with a generator seeded by {@code seed}. */
  static <T> Iterator<T> sample(Iterator<T> records, boolean withReplacement, double fraction, long seed) {
    Random random = new Random(seed);
    return new Iterator<>() {
      private T current;
      private int copiesLeft;

      @Override
      public boolean hasNext() {
        while (copiesLeft == 0) {
          if (!records.hasNext()) {
            return false;
          }
          current = records.next();
          copiesLeft = withReplacement ? poisson(random, fraction)
              : random.nextDouble() < fraction ? 1 : 0;
        }
        return true;
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        copiesLeft--;
        return current;
      }
    };
  }

  /** A Poisson-distributed count with mean {@code mean} (Knuth's method, split for large means). */
  static int poisson(Random random, double mean) {
    int count = 0;
    double left = mean;
    while (left > 0) {
      double step = Math.min(left, 30);
      left -= step;
      double limit = Math.exp(-step);
      double product = random.nextDouble();
      while (product > limit) {
        count++;
        product *= random.nextDouble();
      }
    }
    return count;
  }
}
