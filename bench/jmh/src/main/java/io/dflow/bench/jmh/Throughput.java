package io.dflow.bench.jmh;

import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What one benchmark thread moved and what it cost, as JMH secondary results (per second of
 * the iteration): {@code bytes}, the raw payload handled; {@code storedBytes}, the bytes those
 * took in a file or on the wire; and {@code cpuNanos}, the whole process's CPU time, so
 * {@code cpuNanos / 1e9} is the number of cores kept busy, counting every thread that did the
 * work (transport I/O threads, GC) and not only the one JMH drives.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Throughput {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** Raw payload bytes handled in this iteration. */
  public long bytes;
  /** Bytes the payload took in a file or on the wire in this iteration. */
  public long storedBytes;
  /** Process CPU nanoseconds from the iteration's start to the end of its latest operation. */
  public long cpuNanos;
  private long cpuAtStart;

  /** Starts an iteration: JMH does not reset counters itself. */
  @Setup(Level.Iteration)
  public void reset() {
    bytes = 0;
    storedBytes = 0;
    cpuNanos = 0;
    cpuAtStart = OS.getProcessCpuTime();
  }

  /** Counts one operation's bytes. */
  void add(long raw, long stored) {
    bytes += raw;
    storedBytes += stored;
    // Measured from the iteration's start rather than per operation: the clock ticks in 10 ms.
    cpuNanos = OS.getProcessCpuTime() - cpuAtStart;
  }
}
