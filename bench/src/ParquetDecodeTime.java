import io.dflow.api.Encoders;
import io.dflow.api.plan.FileFormat;
import io.dflow.api.plan.FileSplit;
import io.dflow.formats.ColumnarSplit;
import io.dflow.formats.FormatReaders;
import io.dflow.formats.SplitRecords;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.hadoop.conf.Configuration;

/**
 * How long dflow's Parquet reader takes to decode one long column, in one JVM on one thread,
 * without a job around it: {@code ParquetDecodeTime <file.parquet> <column> <iterations>} reads
 * the whole file as one split, Arrow batch by batch, {@code iterations} times, and prints each
 * pass's thread CPU time and the median of the second half of the passes (after the JIT has
 * settled) in nanoseconds per row. Thread CPU time is what a busy machine disturbs least.
 * Run with dflow's jars on the class path: {@code java -cp "driver/target/lib/*:<classes>"}.
 */
public final class ParquetDecodeTime {
  private ParquetDecodeTime() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: ParquetDecodeTime <file.parquet> <column> <iterations>");
      System.exit(2);
    }
    Path file = Path.of(args[0]).toAbsolutePath();
    int iterations = Integer.parseInt(args[2]);
    FileSplit whole = new FileSplit(List.of(new FileSplit.Segment(file.toUri().toString(), 0, Files.size(file))), List.of());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double[] nsPerRow = new double[iterations];
    long sum = 0;
    try (BufferAllocator allocator = new RootAllocator()) {
      for (int pass = 0; pass < iterations; pass++) {
        long cpu0 = threads.getCurrentThreadCpuTime();
        long rows = 0;
        sum = 0;
        try (SplitRecords records = FormatReaders.open(new FileFormat.Parquet(List.of(args[1])), Encoders.longs(), whole,
            new Configuration(), 1 << 20, allocator, () -> { })) {
          ColumnarSplit columnar = (ColumnarSplit) records;
          for (VectorSchemaRoot batch = columnar.nextBatch(); batch != null; batch = columnar.nextBatch()) {
            BigIntVector x = (BigIntVector) batch.getVector(0);
            for (int i = 0, n = batch.getRowCount(); i < n; i++) {
              sum += x.get(i);
            }
            rows += batch.getRowCount();
          }
        }
        nsPerRow[pass] = (threads.getCurrentThreadCpuTime() - cpu0) / (double) rows;
        System.err.printf(Locale.ROOT, "pass %d: %d rows, %.1f ns/row (thread CPU)%n", pass + 1, rows, nsPerRow[pass]);
      }
    }
    double[] settled = Arrays.copyOfRange(nsPerRow, iterations / 2, iterations);
    Arrays.sort(settled);
    System.out.printf(Locale.ROOT, "RESULT decode column=%s sum=%d ns_per_row=%.1f%n", args[1], sum,
        settled[settled.length / 2]);
  }
}
