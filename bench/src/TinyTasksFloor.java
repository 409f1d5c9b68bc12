import io.dflow.examples.TenthPowers;
import java.math.BigInteger;
import java.util.Locale;

/**
 * The serial loop dflow's {@code TinyTasks} is measured against:
 * {@code java -cp examples/target/dflow-examples.jar bench/src/TinyTasksFloor.java [n]}.
 *
 * <p>Sums {@code x^10} for {@code x} in {@code [0, n)} (default 3000) with the job's own
 * {@link TenthPowers} arithmetic, prints the same result line as the job on stdout, and the
 * loop's time on stderr. The loop runs once, in a fresh JVM, as the job does.
 */
public final class TinyTasksFloor {
  private TinyTasksFloor() {}

  public static void main(String[] args) {
    long n = args.length > 0 ? Long.parseLong(args[0]) : 3000;
    long start = System.nanoTime();
    BigInteger sum = BigInteger.ZERO;
    for (long x = 0; x < n; x++) {
      sum = sum.add(TenthPowers.of(x));
    }
    long end = System.nanoTime();
    System.out.println(TenthPowers.report(n, sum));
    System.err.printf(Locale.ROOT, "floor: serial loop %.6f s%n", (end - start) / 1e9);
  }
}
