import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Trivial tasks as fast as the engine can run them: {@code TaskRate <tasks> <runs>} runs
 * {@code parallelize(0 .. tasks-1, one record per task).map(x -> x + 1).count()} {@code runs}
 * times in one session and prints, per run, its wall time and tasks per second on stderr. The
 * first runs pay for class loading and compilation; the later ones are the steady state.
 */
public final class TaskRate implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    int tasks = Integer.parseInt(args[0]);
    int runs = Integer.parseInt(args[1]);
    List<Integer> xs = IntStream.range(0, tasks).boxed().toList();
    for (int run = 1; run <= runs; run++) {
      long start = System.nanoTime();
      long n = ctx.parallelize(xs, Encoders.ints(), tasks).map(x -> x + 1, Encoders.ints()).count();
      double seconds = (System.nanoTime() - start) / 1e9;
      if (n != tasks) {
        throw new IllegalStateException("counted " + n + " records, expected " + tasks);
      }
      System.err.printf(Locale.ROOT, "TaskRate run %d: %d tasks in %.3f s = %.0f tasks/s%n",
          run, tasks, seconds, tasks / seconds);
    }
  }
}
