package io.dflow.bench.jmh;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference the shuffle benchmarks are compared with: {@code System.arraycopy} of a
 * working set of {@code mib} MiB into another array, one value-sized piece at a time (or in
 * one call for {@code whole}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {Jvm.OPENS, Jvm.XMS, Jvm.XMX})
public class MemcpyBench {
  /** Bytes per {@code arraycopy} call; {@code whole} copies the working set in one. */
  @Param({"100", "1024", "whole"})
  public String valueBytes;

  /** The working set in MiB. */
  @Param({"32"})
  public int mib;

  private byte[] source;
  private byte[] target;
  private int piece;
  private int length;

  @Setup(Level.Trial)
  public void setUp() {
    source = new byte[mib << 20];
    target = new byte[source.length];
    new SplittableRandom(42).nextBytes(source);
    piece = valueBytes.equals("whole") ? source.length : Integer.parseInt(valueBytes);
    length = source.length - source.length % piece;
  }

  @Benchmark
  public byte[] copy(Throughput counters) {
    byte[] from = source;
    byte[] to = target;
    int step = piece;
    for (int i = 0; i < length; i += step) {
      System.arraycopy(from, i, to, i, step);
    }
    counters.add(length, length);
    return to;
  }
}
