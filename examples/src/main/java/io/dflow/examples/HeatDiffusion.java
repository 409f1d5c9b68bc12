package io.dflow.examples;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.mpi.Communicator;
import java.util.ArrayList;
import java.util.List;

/**
 * Heat diffusing along a rod, by domain decomposition: {@code HeatDiffusion [ranks] [points]
 * [steps] out} splits the rod's points into {@code ranks} contiguous pieces, and each rank
 * advances its piece by explicit (Jacobi) steps of the heat equation, trading its edge values
 * with the neighbouring ranks before each step ({@code send}/{@code recv}, a halo exchange).
 * The ends of the rod stay at 0; at the start, a hot spot sits in the middle ({@link #initial}).
 * Writes {@code index<TAB>temperature} lines.
 */
public final class HeatDiffusion implements DflowJob {
  /** The diffusion number: stable for explicit steps while at most 0.5. */
  public static final double ALPHA = 0.25;

  @Override
  public void run(JobContext ctx, String[] args) {
    if (args.length != 4) {
      throw new IllegalArgumentException("usage: HeatDiffusion <ranks> <points> <steps> <out>");
    }
    int ranks = Integer.parseInt(args[0]);
    int points = Integer.parseInt(args[1]);
    int steps = Integer.parseInt(args[2]);
    solve(ctx, ranks, points, steps).map(p -> p.key() + "\t" + p.value(), Encoders.strings()).saveAsTextFile(args[3]);
  }

  /** The temperature of every point after {@code steps} steps, as (index, temperature). */
  public static io.dflow.api.Dataset<Pair<Integer, Double>> solve(JobContext ctx, int ranks, int points, int steps) {
    if (points < 2 * ranks) {
      throw new IllegalArgumentException("a rod of " + points + " points cannot be shared by " + ranks
          + " ranks: give each at least two points");
    }
    List<Pair<Integer, Double>> rod = new ArrayList<>(points);
    for (int i = 0; i < points; i++) {
      rod.add(Pair.of(i, initial(i, points)));
    }
    return ctx.parallelize(rod, Encoders.pairs(Encoders.ints(), Encoders.doubles()), ranks)
        .mpi(ranks, (comm, piece) -> {
          List<Pair<Integer, Double>> mine = new ArrayList<>();
          piece.forEachRemaining(mine::add);
          return advance(comm, mine, points, steps).iterator();
        }, Encoders.pairs(Encoders.ints(), Encoders.doubles()));
  }

  /** The temperature at point {@code i} of {@code points} at the start. */
  public static double initial(int i, int points) {
    if (i == 0 || i == points - 1) {
      return 0;
    }
    double x = (double) i / (points - 1);
    return Math.exp(-100 * (x - 0.5) * (x - 0.5));
  }

  /** One step of point {@code i} from its own and its neighbours' temperatures: the same formula serially and in ranks. */
  public static double step(double left, double here, double right) {
    return here + ALPHA * (left - 2 * here + right);
  }

  private static List<Pair<Integer, Double>> advance(Communicator comm, List<Pair<Integer, Double>> mine,
      int points, int steps) {
    int n = mine.size();
    int first = n == 0 ? 0 : mine.get(0).key();
    // u[0] and u[n + 1] are the halo: the neighbours' edge values
    double[] u = new double[n + 2];
    double[] next = new double[n + 2];
    for (int i = 0; i < n; i++) {
      u[i + 1] = mine.get(i).value();
    }
    int left = comm.rank() - 1;
    int right = comm.rank() + 1 < comm.size() ? comm.rank() + 1 : -1;
    double[] edge = new double[1];
    for (int s = 0; s < steps; s++) {
      // even ranks send first and odd ranks receive first, so blocking calls never wait on each other
      boolean even = comm.rank() % 2 == 0;
      for (int phase = 0; phase < 2; phase++) {
        if ((phase == 0) == even) {
          if (right >= 0) {
            edge[0] = u[n];
            comm.send(edge, right, 0);
          }
          if (left >= 0) {
            edge[0] = u[1];
            comm.send(edge, left, 1);
          }
        } else {
          if (left >= 0) {
            comm.recv(edge, left, 0);
            u[0] = edge[0];
          }
          if (right >= 0) {
            comm.recv(edge, right, 1);
            u[n + 1] = edge[0];
          }
        }
      }
      for (int i = 1; i <= n; i++) {
        int global = first + i - 1;
        next[i] = global == 0 || global == points - 1 ? 0 : step(u[i - 1], u[i], u[i + 1]);
      }
      double[] swap = u;
      u = next;
      next = swap;
    }
    List<Pair<Integer, Double>> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(Pair.of(first + i, u[i + 1]));
    }
    return out;
  }
}
