package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.mpi.Op;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A gang of {@code <ranks>} ranks that sums 1..ranks with {@code allReduce} and prints the total,
 * after one rank misbehaves as {@code <mode>} says: {@code throw} (rank 2 throws, every attempt),
 * {@code kill-once} (rank 1 SIGKILLs its own JVM on the first attempt: {@code <marker folder>}
 * remembers), {@code hang} (rank 0 sleeps for an hour), {@code spin} (rank 0 loops forever, deaf
 * to interrupts), {@code wait-for-go} (rank 0 creates {@code <marker folder>/running} and waits,
 * at most two minutes, for a file {@code go} there: a test acts while the gang runs), {@code none}.
 */
public final class MpiFailingJob implements DflowJob {
  /** What the spinning rank counts: volatile, so the loop cannot be optimised away. */
  static volatile long spins;

  @Override
  public void run(JobContext ctx, String[] args) throws Exception {
    String mode = args[0];
    int ranks = Integer.parseInt(args[1]);
    String markers = args.length > 2 ? args[2] : ".";
    List<Integer> values = IntStream.rangeClosed(1, ranks).boxed().toList();
    List<Long> totals = ctx.parallelize(values, Encoders.ints(), ranks)
        .mpi(ranks, (comm, part) -> {
          long[] sum = {part.next()};
          if (mode.equals("throw") && comm.rank() == 2) {
            throw new IllegalStateException("rank 2 refuses to add " + sum[0]);
          }
          if (mode.equals("kill-once") && comm.rank() == 1) {
            Path once = Path.of(markers, "killed");
            if (Files.notExists(once)) {
              Files.createFile(once);
              new ProcessBuilder("kill", "-9", String.valueOf(ProcessHandle.current().pid())).start().waitFor();
              Thread.sleep(60_000);
            }
          }
          if (mode.equals("spin") && comm.rank() == 0) {
            while (spins >= 0) {
              spins++;
            }
          }
          if (mode.equals("wait-for-go") && comm.rank() == 0) {
            Files.createFile(Path.of(markers, "running"));
            for (int i = 0; i < 2_400 && Files.notExists(Path.of(markers, "go")); i++) {
              Thread.sleep(50);
            }
          }
          if (mode.equals("hang") && comm.rank() == 0) {
            Thread.sleep(3_600_000);
          }
          comm.allReduce(sum, Op.SUM);
          return List.of(sum[0]).iterator();
        }, Encoders.longs())
        .collect();
    System.out.println("totals " + totals);
  }
}
