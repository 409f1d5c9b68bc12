import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.BigIntVector;

/**
 * The sum of one long column of a Parquet file, the dflow side of {@code bench/parquet.sh}:
 * {@code ParquetSumJob <path> <column> records|batches}. Only that column is read
 * ({@code parquetFile(path, longs(), column)}), then summed
 *
 * <ul>
 *   <li>{@code records}: a record per row, {@code reduce(Long::sum)};
 *   <li>{@code batches}: columnar, {@code mapBatches} adds up each Arrow batch's
 *       {@code BigIntVector} into one partial sum, and {@code reduce(Long::sum)} adds those.
 * </ul>
 *
 * <p>The benchmark's file has no nulls ({@code batches} would skip them, as SQL's {@code sum}
 * does). Prints one line on stdout:
 * {@code RESULT system=dflow job=sum-<variant> column=<c> sum=<sum> job_s=<s>}.
 */
public final class ParquetSumJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    if (args.length != 3 || !List.of("records", "batches").contains(args[2])) {
      throw new IllegalArgumentException("usage: ParquetSumJob <path> <column> records|batches");
    }
    String path = args[0];
    String column = args[1];
    String variant = args[2];
    long start = System.nanoTime();
    long sum = variant.equals("records")
        ? ctx.parquetFile(path, Encoders.longs(), column).reduce(Long::sum)
        : ctx.parquetFile(path, Encoders.longs(), column).mapBatches(batch -> {
          BigIntVector x = (BigIntVector) batch.getVector(0);
          long partial = 0;
          for (int i = 0, n = batch.getRowCount(); i < n; i++) {
            if (!x.isNull(i)) {
              partial += x.get(i);
            }
          }
          return List.of(partial).iterator();
        }, Encoders.longs()).reduce(Long::sum);
    System.out.printf(Locale.ROOT, "RESULT system=dflow job=sum-%s column=%s sum=%d job_s=%.3f%n",
        variant, column, sum, (System.nanoTime() - start) / 1e9);
  }
}
