package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.io.CsvOptions;

/** Writes the first field of every row of the CSV files {@code <in>} (with a header, bad rows failing) to {@code <out>}. */
public final class CsvFieldsJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.csvFile(args[0], CsvOptions.csv().withHeader(true))
        .map(row -> row[0], Encoders.strings())
        .saveAsTextFile(args[1]);
  }
}
