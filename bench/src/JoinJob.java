import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.stream.IntStream;

/**
 * The join of {@code bench/join.sh}: {@code JoinJob <records> <partitions>} joins a left side of
 * {@code records} records (long keys {@code 0 .. records/4-1}, four values each) with a right
 * side of {@code records/2} records (keys {@code 0 .. records/2-1}, one each, so half the left
 * keys match), values 32-byte strings, and counts the result. Records are generated inside the
 * map tasks; the strategy is {@code dflow.join.strategy} from the command line.
 *
 * <p>Prints {@code RESULT system=dflow job=join records=<n> partitions=<p> count=<count> job_s=<s>}.
 */
public final class JoinJob implements DflowJob {
  private static final String PAD = "................................";

  @Override
  public void run(JobContext ctx, String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: JoinJob <records> <partitions>");
    }
    long records = Long.parseLong(args[0]);
    int partitions = Integer.parseInt(args[1]);
    long start = System.nanoTime();
    PairDataset<Long, String> left = side(ctx, records, partitions, records / 4);
    PairDataset<Long, String> right = side(ctx, records / 2, partitions, records / 2);
    long count = left.join(right, partitions).count();
    System.out.printf(Locale.ROOT, "RESULT system=dflow job=join records=%d partitions=%d count=%d job_s=%.3f%n",
        records, partitions, count, (System.nanoTime() - start) / 1e9);
  }

  private static PairDataset<Long, String> side(JobContext ctx, long n, int partitions, long keys) {
    return ctx.parallelize(IntStream.range(0, partitions).boxed().toList(), Encoders.ints(), partitions)
        .flatMapToPair(p -> pairs(p * n / partitions, (p + 1) * n / partitions, keys),
            Encoders.longs(), Encoders.strings());
  }

  private static Iterator<Pair<Long, String>> pairs(long from, long to, long keys) {
    return new Iterator<>() {
      private long next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public Pair<Long, String> next() {
        if (next >= to) {
          throw new NoSuchElementException();
        }
        long i = next++;
        long key = (i * 0x9E3779B97F4A7C15L >>> 1) % keys; // spread over the keys, not in order
        return Pair.of(key, Long.toHexString(i) + PAD.substring(Long.toHexString(i).length()));
      }
    };
  }
}
