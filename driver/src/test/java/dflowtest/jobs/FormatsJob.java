package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.io.CsvOptions;
import java.util.Iterator;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.arrow.vector.BigIntVector;

/**
 * Reads every file format from {@code <in>/<format>} and writes what it computed from each to
 * {@code <out>/<format>}: sums per key of a SequenceFile, of CSV rows (bad rows skipped), of
 * Arrow and Parquet columns; and in {@code <out>/summary} the sums {@code mapBatches} made of a
 * Parquet column and of packed records.
 */
public final class FormatsJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    String in = args[0];
    String out = args[1];
    ctx.sequenceFile(in + "/seq", Encoders.strings(), Encoders.longs())
        .reduceByKey(Long::sum, 3)
        .saveAsSequenceFile(out + "/seq");
    ctx.csvFile(in + "/csv", CsvOptions.csv().withHeader(true).withSkipBadRows(true))
        .mapToPair(row -> Pair.of(row[0], Long.parseLong(row[1])), Encoders.strings(), Encoders.longs())
        .reduceByKey(Long::sum, 2)
        .saveAsCsvFile(out + "/csv", CsvOptions.csv(), "city", "total");
    ctx.arrowFile(in + "/arrow", Encoders.strings(), Encoders.longs(), "word", "n")
        .reduceByKey(Long::sum, 2)
        .saveAsArrowFile(out + "/arrow");
    ctx.parquetFile(in + "/parquet", Encoders.longs(), Encoders.longs(), "id", "amount")
        .mapToPair(p -> Pair.of(p.key() % 10, p.value()), Encoders.longs(), Encoders.longs())
        .reduceByKey(Long::sum, 2)
        .saveAsParquetFile(out + "/parquet");
    long columnSum = ctx.parquetFile(in + "/parquet", Encoders.longs(), "id")
        .mapBatches(batch -> sum((BigIntVector) batch.getVector(0)), Encoders.longs())
        .reduce(Long::sum);
    long packedSum = ctx.parallelize(LongStream.range(0, 100_000).boxed().toList(), Encoders.longs(), 4)
        .mapBatches(batch -> sum((BigIntVector) batch.getVector("value")), Encoders.longs())
        .reduce(Long::sum);
    ctx.parallelize(List.of("parquet.id.sum=" + columnSum, "packed.sum=" + packedSum), Encoders.strings(), 1)
        .saveAsTextFile(out + "/summary");
  }

  private static Iterator<Long> sum(BigIntVector column) {
    long sum = 0;
    for (int row = 0; row < column.getValueCount(); row++) {
      sum += column.get(row);
    }
    return List.of(sum).iterator();
  }
}
