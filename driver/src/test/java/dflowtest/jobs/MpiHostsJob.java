package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.mpi.Op;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A psum that says where each rank ran: {@code <n> <seed> <out>} sums {@code n} random longs
 * (seeded) over {@code mpi(4)} with {@code allReduce}, and writes one line per rank:
 * {@code rank<TAB>net-namespace<TAB>count<TAB>total}, the namespace as {@code /proc/self/ns/net}
 * names it ({@code net:[inode]}).
 */
public final class MpiHostsJob implements DflowJob {
  /** The numbers the job sums, for a serial reference. */
  public static List<Long> numbers(int n, long seed) {
    Random random = new Random(seed);
    List<Long> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add((long) random.nextInt(1_000_000));
    }
    return out;
  }

  @Override
  public void run(JobContext ctx, String[] args) {
    ctx.parallelize(numbers(Integer.parseInt(args[0]), Long.parseLong(args[1])), Encoders.longs(), 4)
        .mpi(4, (comm, part) -> {
          long[] sum = {0, 0};
          part.forEachRemaining(v -> {
            sum[0] += v;
            sum[1]++;
          });
          long[] total = {sum[0]};
          comm.allReduce(total, Op.SUM);
          String ns = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
          return List.of(comm.rank() + "\t" + ns + "\t" + sum[1] + "\t" + total[0]).iterator();
        }, Encoders.strings())
        .saveAsTextFile(args[2]);
  }
}
