/**
 * How much slower a rank's own numerical loops run when compiled by C1 only
 * ({@code -XX:TieredStopAtLevel=1}): a 3-point stencil over 1 Mi doubles, 300 sweeps (the inner
 * loop of a heat-diffusion rank, which C2 vectorises), and a dependent sum of 1 Mi doubles, 200
 * passes. Prints the milliseconds of each. Run it both ways, alternating:
 * {@code java bench/src/mpi/CompilerProbe.java} and
 * {@code java -XX:TieredStopAtLevel=1 bench/src/mpi/CompilerProbe.java}.
 */
public final class CompilerProbe {
  private CompilerProbe() {}

  public static void main(String[] args) {
    int n = 1 << 20;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i % 7;
    }
    long t0 = System.nanoTime();
    for (int r = 0; r < 300; r++) {
      for (int i = 1; i < n - 1; i++) {
        y[i] = 0.25 * x[i - 1] + 0.5 * x[i] + 0.25 * x[i + 1];
      }
      double[] t = x;
      x = y;
      y = t;
    }
    long stencil = System.nanoTime() - t0;
    double s = 0;
    t0 = System.nanoTime();
    for (int r = 0; r < 200; r++) {
      for (int i = 0; i < n; i++) {
        s += x[i] * 1.0000001;
      }
    }
    long sum = System.nanoTime() - t0;
    System.out.println("stencil " + stencil / 1_000_000 + " ms, sum " + sum / 1_000_000 + " ms (" + (x[n / 2] + s) + ")");
  }
}
