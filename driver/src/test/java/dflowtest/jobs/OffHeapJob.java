package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One task that takes {@code <MiB>} of memory outside the heap (direct buffers, a byte written
 * on every page so that the pages are really in use) and holds it for a minute: more than a
 * small YARN container may have. {@code <MiB> <out>}; run with a large enough {@code -XX:MaxDirectMemorySize}.
 */
public final class OffHeapJob implements DflowJob {
  /** Held so that the memory stays in use while the task sleeps. */
  static final List<ByteBuffer> HELD = new ArrayList<>();

  @Override
  public void run(JobContext ctx, String[] args) {
    int mib = Integer.parseInt(args[0]);
    ctx.parallelize(List.of(1), Encoders.ints(), 1)
        .map(x -> {
          for (int i = 0; i < mib / 16; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(16 << 20);
            for (int page = 0; page < b.capacity(); page += 4096) {
              b.put(page, (byte) 1);
            }
            HELD.add(b);
          }
          Thread.sleep(60_000);
          return x;
        }, Encoders.ints())
        .saveAsTextFile(args[1]);
  }
}
