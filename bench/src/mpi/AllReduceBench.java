import io.dflow.api.mpi.Op;
import io.dflow.executor.mpi.NativeCommunicator;
import java.util.Arrays;

/**
 * The dflow side of bench/mpi-allreduce.sh: {@code allReduce(double[], double[], SUM)} through
 * {@link NativeCommunicator} in the loop allreduce.c runs, timed the same way (one untimed
 * round, then the median of the timed rounds, each the slowest rank's time). Arguments and
 * output as allreduce.c's.
 */
public final class AllReduceBench {
  public static void main(String[] args) {
    NativeCommunicator comm = NativeCommunicator.init(() -> { });
    int n = Integer.parseInt(args[0]);
    int iterations = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    int rank = comm.rank();
    int size = comm.size();
    double[] send = new double[n];
    double[] recv = new double[n];
    for (int i = 0; i < n; i++) {
      send[i] = i % 7 + rank + 1;
    }
    double[] times = new double[rounds];
    for (int round = -1; round < rounds; round++) {
      comm.barrier();
      long start = System.nanoTime();
      for (int i = 0; i < iterations; i++) {
        comm.allReduce(send, recv, Op.SUM);
      }
      double[] slowest = {(System.nanoTime() - start) / 1e9};
      comm.allReduce(slowest, Op.MAX);
      if (round >= 0) {
        times[round] = slowest[0] / iterations * 1e6;
      }
    }
    double expected = 0;
    for (int r = 0; r < size; r++) {
      expected += (n - 1) % 7 + r + 1;
    }
    if (recv[n - 1] != expected) {
      System.err.println("rank " + rank + ": wrong sum " + recv[n - 1] + ", expected " + expected);
      NativeCommunicator.abort(1);
    }
    Arrays.sort(times);
    if (rank == 0) {
      System.out.printf("allreduce java %d %d %.3f%n", size, n, times[rounds / 2]);
    }
    comm.finish();
  }
}
