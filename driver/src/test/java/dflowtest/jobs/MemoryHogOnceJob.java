package dflowtest.jobs;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The first attempt of its task takes {@code <MiB>} of memory outside the heap (touched, so the
 * process really holds it) and keeps it, waiting for YARN to kill its container; the retry
 * succeeds: {@code <marker folder> <MiB> <out>}. The marker file says the memory was taken once
 * (its folder must be one every container sees: a one-machine cluster).
 */
public final class MemoryHogOnceJob implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    String marker = args[0];
    long bytes = Long.parseLong(args[1]) << 20;
    ctx.parallelize(List.of(1, 2, 3, 4), Encoders.ints(), 1)
        .map(x -> {
          Path once = Path.of(marker, "hogged");
          if (Files.notExists(once)) {
            Files.createFile(once);
            hold(bytes);
          }
          return x * 10;
        }, Encoders.ints())
        .saveAsTextFile(args[2]);
  }

  private static void hold(long bytes) throws Exception {
    Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
    f.setAccessible(true);
    sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
    long address = unsafe.allocateMemory(bytes);
    unsafe.setMemory(address, bytes, (byte) 1);
    Thread.sleep(60_000);
    throw new IllegalStateException("YARN did not kill this container for its " + (bytes >> 20) + " MiB in 60 s");
  }
}
