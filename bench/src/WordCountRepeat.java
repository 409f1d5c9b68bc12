import io.dflow.api.DflowJob;
import io.dflow.api.JobContext;
import io.dflow.examples.WordCount;
import java.util.Locale;

/**
 * Runs the WordCount example {@code runs} times in one session — {@code WordCountRepeat <in>
 * <out> <runs>}, writing {@code <out>-1}, {@code <out>-2}, … — and prints each run's seconds on
 * stderr. The first run pays for a cold JVM; the later ones show a job's cost once warm.
 */
public final class WordCountRepeat implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) throws Exception {
    int runs = Integer.parseInt(args[2]);
    for (int run = 1; run <= runs; run++) {
      long start = System.nanoTime();
      new WordCount().run(ctx, new String[] {args[0], args[1] + "-" + run});
      System.err.printf(Locale.ROOT, "WordCount run %d: %.3f s%n", run, (System.nanoTime() - start) / 1e9);
    }
  }
}
