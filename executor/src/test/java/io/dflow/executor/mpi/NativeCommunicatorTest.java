package io.dflow.executor.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dflow.api.mpi.Datatype;
import io.dflow.api.mpi.Op;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NativeCommunicator} in real Open MPI jobs: {@code mpirun} starts 2 or 4 JVMs running
 * {@link CommunicatorProbe}, and every result they write is checked against one computed here
 * from the probe's inputs ({@code i % 7 + rank + 1} at index {@code i} of rank {@code rank}).
 */
class NativeCommunicatorTest {
  private static final long TIMEOUT_SECONDS = 240;
  /** What makes a rank JVM start fast: the C1 compiler only, the serial collector, CDS. */
  private static final List<String> QUICK_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx512m");

  @TempDir
  Path tmp;

  @BeforeAll
  static void mpiIsHere() {
    assertTrue(onPath("mpirun"), "mpirun is not installed (Debian: "
        + MpiUnavailableException.PACKAGES + ")");
    assertTrue(NativeCommunicatorTest.class.getClassLoader().getResource(MpiNative.resource()) != null,
        "the MPI shim was not built (no mpicc)");
  }

  @Test
  void everyCallGivesTheRightResultsOnTwoRanks() throws Exception {
    checkAll(2);
  }

  @Test
  void everyCallGivesTheRightResultsOnFourRanks() throws Exception {
    checkAll(4);
  }

  private void checkAll(int size) throws Exception {
    Result result = mpirun(size, QUICK_JVM, "all");
    result.assertSucceeded();
    for (int rank = 0; rank < size; rank++) {
      List<String> actual = result.lines(rank);
      List<String> expected = expectedAll(rank, size);
      assertTrue(actual.size() == expected.size() + 1, () -> "rank lines: " + actual.size());
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i), actual.get(i), "rank " + rank + ", line " + (i + 1));
      }
      assertEquals("done " + expectedCalls(rank, size), actual.get(actual.size() - 1),
          "progress runs once per call");
    }
  }

  @Test
  void badArgumentsAndMpiErrorsThrowClearExceptions() throws Exception {
    checkErrors(QUICK_JVM, "none");
  }

  @Test
  void atThreadLevelSingleOnlyTheInitialisingThreadMayCall() throws Exception {
    List<String> jvm = new ArrayList<>(QUICK_JVM);
    jvm.add("-D" + NativeCommunicator.THREAD_LEVEL_PROPERTY + "=single");
    checkErrors(jvm, "IllegalStateException: MPI runs at MPI_THREAD_SINGLE");
  }

  private void checkErrors(List<String> jvm, String otherThread) throws Exception {
    Result result = mpirun(2, jvm, "errors");
    result.assertSucceeded();
    Map<String, String> everyRank = new LinkedHashMap<>();
    everyRank.put("heapBuffer", "IllegalArgumentException: buf is a heap buffer");
    everyRank.put("allGatherLength", "IllegalArgumentException: allGather: recv has 3 elements");
    everyRank.put("rootRange", "IllegalArgumentException: root 2 is not a rank of the 2 ranks");
    everyRank.put("destRange", "IllegalArgumentException: dest -1 is not a rank");
    everyRank.put("sourceRange", "IllegalArgumentException: source 5 is not a rank");
    everyRank.put("negativeTag", "IllegalArgumentException: negative tag -5");
    everyRank.put("allReduceLength", "IllegalArgumentException: allReduce: send has 2 elements");
    everyRank.put("sendRecvRange", "IllegalArgumentException: sendRecv: send elements 3 to 5");
    everyRank.put("byteOrder", "IllegalArgumentException: send is in BIG_ENDIAN byte order");
    everyRank.put("bufferCount", "IllegalArgumentException: allReduce: recv has 8 bytes");
    everyRank.put("readOnly", "IllegalArgumentException: buf is read-only");
    everyRank.put("initTwice", "IllegalStateException: MPI is already initialised");
    everyRank.put("otherThread", otherThread);
    Map<String, String> rank0 = new LinkedHashMap<>(everyRank);
    rank0.put("gatherLength", "IllegalArgumentException: gather: recv has 5 elements");
    rank0.put("scatterLength", "IllegalArgumentException: scatter: send has 5 elements");
    rank0.put("sendRecv:10", "MpiException: MPI_Sendrecv received 5 elements from rank 1");
    rank0.put("sendRecv:5000", "MpiException: MPI_Sendrecv received 2500 elements from rank 1");
    Map<String, String> rank1 = new LinkedHashMap<>(everyRank);
    rank1.put("truncated:10", "MpiException: MPI_Recv failed: MPI_ERR_TRUNCATE");
    rank1.put("short:10", "MpiException: MPI_Recv received 5 elements from rank 0 with tag 2"
        + " but its buffer holds 10");
    rank1.put("truncated:5000", "MpiException: MPI_Recv failed: MPI_ERR_TRUNCATE");
    rank1.put("short:5000", "MpiException: MPI_Recv received 2500 elements");
    rank1.put("truncatedBuffer", "MpiException: MPI_Recv failed: MPI_ERR_TRUNCATE");
    rank1.put("sendRecv:10", "MpiException: MPI_Sendrecv failed: MPI_ERR_TRUNCATE");
    rank1.put("sendRecv:5000", "MpiException: MPI_Sendrecv failed: MPI_ERR_TRUNCATE");
    checkErrorLines(result.lines(0), rank0);
    checkErrorLines(result.lines(1), rank1);
  }

  private static void checkErrorLines(List<String> lines, Map<String, String> expected) {
    Map<String, String> actual = new LinkedHashMap<>();
    for (String line : lines) {
      if (line.startsWith("error:")) {
        int space = line.indexOf(' ');
        actual.put(line.substring("error:".length(), space), line.substring(space + 1));
      }
    }
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, start) -> assertTrue(actual.get(name).startsWith(start),
        () -> name + ": " + actual.get(name)));
  }

  /** G1 and both JIT compilers, a small heap, two threads churning it, implicit null checks. */
  @Test
  void ranksSurviveGcAndJitStress() throws Exception {
    Result result = mpirun(2, List.of("-XX:+UseG1GC", "-Xmx64m"), "stress", "500");
    result.assertSucceeded();
    Pattern stats = Pattern.compile("stress iterations=500 wrong=0 nulls=(\\d+) gcs=(\\d+)");
    for (int rank = 0; rank < 2; rank++) {
      String line = result.lines(rank).get(0);
      Matcher m = stats.matcher(line);
      assertTrue(m.matches(), line);
      assertEquals(500 * 100, Long.parseLong(m.group(1)), line);
      assertTrue(Long.parseLong(m.group(2)) > 100, () -> "too few collections to mean much: " + line);
    }
  }

  /**
   * UCX, when Open MPI loads it (here by letting pml ucx be tried before ob1), installs its own
   * SIGSEGV, SIGBUS, SIGILL and SIGFPE handlers unless UCX_ERROR_SIGNALS says otherwise; the
   * shim puts the JVM's back, and the ranks survive the stress probe.
   */
  @Test
  void ranksSurviveUcxReplacingTheJvmSignalHandlers() throws Exception {
    Result result = mpirun(2, List.of("-XX:+UseG1GC", "-Xmx64m"),
        List.of("--mca", "pml", "^monitoring", "-x", "UCX_ERROR_SIGNALS"),
        Map.of("UCX_ERROR_SIGNALS", "SIGSEGV,SIGBUS,SIGILL,SIGFPE"), "stress", "200");
    result.assertSucceeded();
    if (ompiHas("MCA pml: ucx")) {
      assertTrue(result.log().contains("replaced the JVM's handler of signal 11; restored it"),
          result::log);
    }
    for (int rank = 0; rank < 2; rank++) {
      assertTrue(result.lines(rank).get(0).startsWith("stress iterations=200 wrong=0 "),
          result.lines(rank).get(0));
    }
  }

  private static boolean ompiHas(String component) throws Exception {
    Process p = new ProcessBuilder("ompi_info").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out.contains(component);
  }

  @Test
  void abortEndsEveryRank() throws Exception {
    Result result = mpirun(2, QUICK_JVM, "abort");
    // mpirun's own MPI_ABORT message is sometimes lost (an ORTE_ERROR_LOG in its place)
    assertEquals(7, result.exitCode, result::log);
    for (int rank = 0; rank < 2; rank++) {
      assertEquals(List.of("aborting"), result.lines(rank));
    }
  }

  @Test
  void aMissingShimOrLibraryNamesThePackagesToInstall() throws IOException {
    MpiUnavailableException missing = assertThrows(MpiUnavailableException.class,
        () -> MpiNative.extract(getClass().getClassLoader(), "native/nowhere/libdflowmpi.so"));
    assertTrue(missing.getMessage().contains("built without mpicc"), missing.getMessage());
    assertTrue(missing.getMessage().contains("openmpi-bin libopenmpi-dev"), missing.getMessage());

    Path notALibrary = Files.writeString(tmp.resolve("libdflowmpi.so"), "not an ELF file");
    MpiUnavailableException broken = assertThrows(MpiUnavailableException.class,
        () -> MpiNative.link(notALibrary));
    assertTrue(broken.getMessage().contains("openmpi-bin libopenmpi-dev"), broken.getMessage());
  }

  // ---- what the probe must have written ----

  private static int in(int rank, int i) {
    return i % 7 + rank + 1;
  }

  private static List<String> expectedAll(int r, int s) {
    List<String> lines = new ArrayList<>();
    int partner = r ^ 1;
    for (Datatype t : new Datatype[] {Datatype.DOUBLE, Datatype.LONG, Datatype.INT, Datatype.BYTE}) {
      for (int n : lengths(t)) {
        lines.add(line("bcast:" + t + ":" + n, t, rankValues(s - 1, n)));
        lines.add(line("allGather:" + t + ":" + n, t, concat(s, n)));
        if (partner < s) {
          lines.add(line("exchange:" + t + ":" + n, t, rankValues(partner, n)));
        }
        if (t != Datatype.BYTE) {
          for (Op op : Op.values()) {
            long[] reduced = reduced(op, s, n);
            String c = ":" + t + ":" + n + ":" + op;
            lines.add(line("allReduce" + c, t, reduced));
            lines.add(line("allReduceInPlace" + c, t, reduced));
            lines.add(line("allReduceSameArray" + c, t, reduced));
            lines.add(line("allReduceSendKept" + c, t, rankValues(r, n)));
          }
        }
      }
    }
    for (int n : lengths(Datatype.DOUBLE)) {
      if (r == 0) {
        lines.add(line("gather:DOUBLE:" + n, Datatype.DOUBLE, concat(s, n)));
      }
      lines.add(line("scatter:DOUBLE:" + n, Datatype.DOUBLE, rankValues(r, n)));
      lines.add(line("ring:DOUBLE:" + n, Datatype.DOUBLE, rankValues((r + s - 1) % s, n)));
    }
    for (int w : HALO_WIDTHS) {
      int interior = Math.max(64, w);
      long[] u = new long[interior + 2 * w];
      for (int j = 0; j < w; j++) {
        u[j] = r == 0 ? -1 : in(r - 1, interior - w + j);
        u[w + interior + j] = r == s - 1 ? -1 : in(r + 1, j);
      }
      for (int i = 0; i < interior; i++) {
        u[w + i] = in(r, i);
      }
      lines.add(line("halo:" + interior + ":" + w, Datatype.DOUBLE, u));
    }
    for (int n : new int[] {8, 16384, 16385, 1 << 20}) {
      String where = " position=5 limit=" + (5 + n);
      lines.add(line("bufferBcast:" + n + where, Datatype.BYTE, framed(rankValues(0, n), 5, 5)));
      if (partner < s) {
        lines.add(line("bufferExchange:" + n + where, Datatype.BYTE,
            framed(rankValues(partner, n), 5, 5)));
      }
    }
    for (Datatype t : Datatype.values()) {
      for (int n : lengths(t)) {
        for (Op op : Op.values()) {
          long[] reduced = reduced(op, s, n);
          String c = t + ":" + n + ":" + op + " position=8";
          lines.add(line("bufferAllReduce:" + c, t, reduced));
          lines.add(line("bufferAllReduceInPlace:" + c, t, reduced));
        }
      }
    }
    for (Op op : new Op[] {Op.SUM, Op.MIN, Op.MAX}) {
      long[] big = new long[4096];
      for (int i = 0; i < big.length; i++) {
        long sum = 0;
        for (int q = 0; q < s; q++) {
          sum += ((long) (q + 1) << 40) + i;
        }
        big[i] = switch (op) {
          case SUM -> sum;
          case MIN -> (1L << 40) + i;
          default -> ((long) s << 40) + i;
        };
      }
      lines.add(line("bigLongs:" + op, Datatype.LONG, big));
    }
    return lines;
  }

  /** How many calls the probe's {@code all} makes, as it makes them. */
  private static int expectedCalls(int r, int s) {
    int exchange = (r ^ 1) < s ? 2 : 0;
    int calls = 3 + 2; // rank() twice and size() once, the first and last barrier
    for (Datatype t : new Datatype[] {Datatype.DOUBLE, Datatype.LONG, Datatype.INT, Datatype.BYTE}) {
      calls += lengths(t).length * (2 + exchange + (t == Datatype.BYTE ? 0 : 3 * Op.values().length));
    }
    calls += lengths(Datatype.DOUBLE).length * 3; // gather, scatter, ring
    calls += HALO_WIDTHS.length * 2;
    calls += 4 * (1 + exchange); // buffer bcast and exchange
    calls += Datatype.values().length * lengths(Datatype.BYTE).length * Op.values().length * 2;
    return calls + 3; // big longs
  }

  /** Across the copy limit (8 KiB), the critical-region limit (16 KiB) and two 1 MiB pieces. */
  private static int[] lengths(Datatype t) {
    int copied = 8 * 1024 / t.bytes();
    int pinned = 16 * 1024 / t.bytes();
    return new int[] {8, copied, copied + 1, pinned, pinned + 1, 2 * (1 << 20) / t.bytes() + 3};
  }

  private static final int[] HALO_WIDTHS = {1, 1024, 1025, 2048, 2049, 20000};

  private static long[] rankValues(int rank, int n) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      v[i] = in(rank, i);
    }
    return v;
  }

  private static long[] concat(int s, int n) {
    long[] v = new long[s * n];
    for (int q = 0; q < s; q++) {
      System.arraycopy(rankValues(q, n), 0, v, q * n, n);
    }
    return v;
  }

  private static long[] reduced(Op op, int s, int n) {
    long[] v = new long[n];
    for (int i = 0; i < n; i++) {
      long acc = in(0, i);
      for (int q = 1; q < s; q++) {
        long x = in(q, i);
        acc = switch (op) {
          case SUM -> acc + x;
          case PROD -> acc * x;
          case MIN -> Math.min(acc, x);
          case MAX -> Math.max(acc, x);
        };
      }
      v[i] = acc;
    }
    return v;
  }

  private static long[] framed(long[] v, int before, int after) {
    long[] f = new long[before + v.length + after];
    Arrays.fill(f, -1);
    System.arraycopy(v, 0, f, before, v.length);
    return f;
  }

  /** {@code name length hash}, the hash of the values as an array of {@code t} (narrowed as Java narrows). */
  private static String line(String name, Datatype t, long[] v) {
    int hash = switch (t) {
      case DOUBLE -> Arrays.hashCode(Arrays.stream(v).mapToDouble(x -> x).toArray());
      case LONG -> Arrays.hashCode(v);
      case INT -> Arrays.hashCode(Arrays.stream(v).mapToInt(x -> (int) x).toArray());
      case BYTE -> {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
          b[i] = (byte) v[i];
        }
        yield Arrays.hashCode(b);
      }
    };
    return name + " " + v.length + " " + hash;
  }

  // ---- running mpirun ----

  private record Result(int exitCode, Path dir, Path logFile) {
    String log() {
      try {
        return Files.readString(logFile);
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }

    List<String> lines(int rank) throws IOException {
      return Files.readAllLines(dir.resolve("rank-" + rank + ".txt"));
    }

    void assertSucceeded() {
      assertEquals(0, exitCode, this::log);
    }
  }

  private Result mpirun(int ranks, List<String> jvmFlags, String... probeArgs) throws Exception {
    return mpirun(ranks, jvmFlags, List.of(), Map.of(), probeArgs);
  }

  private Result mpirun(int ranks, List<String> jvmFlags, List<String> mpirunFlags,
      Map<String, String> env, String... probeArgs) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "mpirun");
    List<String> command = new ArrayList<>(List.of("mpirun", "-n", String.valueOf(ranks),
        "--oversubscribe", "--mca", "btl", "self,vader,tcp", "--mca", "btl_tcp_if_include", "lo",
        "--mca", "oob_tcp_if_include", "lo"));
    if (!mpirunFlags.contains("pml")) {
      // ob1 straight away: Open MPI otherwise spends ~0.2 s of MPI_Init probing for PSM hardware
      command.addAll(List.of("--mca", "pml", "ob1"));
    }
    command.addAll(mpirunFlags);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", System.getProperty("java.class.path"),
        CommunicatorProbe.class.getName(), probeArgs[0], dir.toString()));
    command.addAll(Arrays.asList(probeArgs).subList(1, probeArgs.length));
    Path log = dir.resolve("mpirun.log");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    // mpirun refuses to start as root without these; the tests run as root in CI
    pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT", "1");
    pb.environment().put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
    pb.environment().putAll(env);
    long start = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("mpirun " + String.join(" ", probeArgs) + " did not end in " + TIMEOUT_SECONDS
          + " s:\n" + Files.readString(log));
    }
    System.out.printf("mpirun -n %d %s: %d ms%n", ranks, String.join(" ", probeArgs),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    return new Result(p.exitValue(), dir, log);
  }

  private static boolean onPath(String command) {
    String path = System.getenv("PATH");
    return path != null && Arrays.stream(path.split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, command)));
  }
}
