package io.dflow.executor.mpi;

import io.dflow.api.mpi.Datatype;
import io.dflow.api.mpi.Op;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One rank of {@link NativeCommunicatorTest}, started by {@code mpirun}: makes every
 * {@link io.dflow.api.mpi.Communicator} call over inputs {@link #value} defines and writes what
 * came back (as {@code case length hash} lines) to {@code <dir>/rank-<r>.txt}, which the test
 * compares with results it computes itself. Modes: {@code all} (every call, on both sides of
 * the critical-region limit), {@code errors} (bad arguments and MPI errors, as {@code case
 * class: message}), {@code stress} (collectives while other threads churn the heap and the JIT
 * takes implicit null checks) and {@code abort}.
 */
public final class CommunicatorProbe {
  private static final AtomicLong progress = new AtomicLong();

  private final NativeCommunicator comm;
  private final int rank;
  private final int size;
  private final PrintWriter out;

  private CommunicatorProbe(NativeCommunicator comm, PrintWriter out) {
    this.comm = comm;
    this.rank = comm.rank();
    this.size = comm.size();
    this.out = out;
  }

  /** The input of rank {@code r} at index {@code i}: small whole numbers, so every op is exact. */
  static int value(int r, int i) {
    return i % 7 + r + 1;
  }

  /**
   * The lengths tried for elements of {@code bytes} bytes: tiny; at and just over the copy
   * limit, then the critical-region limit; and two pieces and a bit of a large collective.
   */
  static int[] lengths(int bytes) {
    int copied = NativeCommunicator.DEFAULT_COPY_MAX_BYTES / bytes;
    int pinned = NativeCommunicator.DEFAULT_CRITICAL_MAX_BYTES / bytes;
    int large = 2 * NativeCommunicator.CHUNK_BYTES / bytes + 3;
    return new int[] {8, copied, copied + 1, pinned, pinned + 1, large};
  }

  /** The halo widths tried, across the same limits. */
  static final int[] HALO_WIDTHS = {1, 1024, 1025, 2048, 2049, 20000};

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Path dir = Path.of(args[1]);
    NativeCommunicator comm = NativeCommunicator.init(progress::incrementAndGet);
    Path file = dir.resolve("rank-" + comm.rank() + ".txt");
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
      CommunicatorProbe probe = new CommunicatorProbe(comm, out);
      switch (mode) {
        case "all" -> probe.all();
        case "errors" -> probe.errors();
        case "stress" -> probe.stress(Integer.parseInt(args[2]));
        case "abort" -> probe.abort();
        default -> throw new IllegalArgumentException(mode);
      }
      out.println("done " + progress.get());
    }
    comm.finish();
  }

  // ---- all ----

  private void all() {
    comm.barrier();
    for (Datatype type : new Datatype[] {Datatype.DOUBLE, Datatype.LONG, Datatype.INT, Datatype.BYTE}) {
      for (int n : lengths(type.bytes())) {
        bcast(type, n);
        allGather(type, n);
        exchange(type, n);
        if (type != Datatype.BYTE) {
          for (Op op : Op.values()) {
            allReduce(type, n, op);
          }
        }
      }
    }
    for (int n : lengths(8)) {
      gatherScatter(n);
      ring(n);
    }
    for (int width : HALO_WIDTHS) {
      halo(64, width);
    }
    for (int n : new int[] {8, 16384, 16385, 1 << 20}) {
      bufferBcast(n);
      bufferExchange(n);
    }
    for (Datatype type : Datatype.values()) {
      for (int n : lengths(type.bytes())) {
        for (Op op : Op.values()) {
          bufferAllReduce(type, n, op, false);
          bufferAllReduce(type, n, op, true);
        }
      }
    }
    bigLongs();
    comm.barrier();
  }

  private void bcast(Datatype type, int n) {
    int root = size - 1;
    Object buf = filled(type, n, rank == root ? rank : -1);
    switch (type) {
      case DOUBLE -> comm.bcast((double[]) buf, root);
      case LONG -> comm.bcast((long[]) buf, root);
      case INT -> comm.bcast((int[]) buf, root);
      case BYTE -> comm.bcast((byte[]) buf, root);
    }
    print("bcast:" + type + ":" + n, buf);
  }

  private void allReduce(Datatype type, int n, Op op) {
    String c = ":" + type + ":" + n + ":" + op;
    Object send = filled(type, n, rank);
    Object recv = filled(type, n, -1);
    Object inPlace = filled(type, n, rank);
    Object same = filled(type, n, rank);
    switch (type) {
      case DOUBLE -> {
        comm.allReduce((double[]) send, (double[]) recv, op);
        comm.allReduce((double[]) inPlace, op);
        comm.allReduce((double[]) same, (double[]) same, op);
      }
      case LONG -> {
        comm.allReduce((long[]) send, (long[]) recv, op);
        comm.allReduce((long[]) inPlace, op);
        comm.allReduce((long[]) same, (long[]) same, op);
      }
      case INT -> {
        comm.allReduce((int[]) send, (int[]) recv, op);
        comm.allReduce((int[]) inPlace, op);
        comm.allReduce((int[]) same, (int[]) same, op);
      }
      default -> throw new AssertionError(type);
    }
    print("allReduce" + c, recv);
    print("allReduceInPlace" + c, inPlace);
    print("allReduceSameArray" + c, same);
    print("allReduceSendKept" + c, send);
  }

  private void allGather(Datatype type, int n) {
    Object send = filled(type, n, rank);
    Object recv = filled(type, n * size, -1);
    switch (type) {
      case DOUBLE -> comm.allGather((double[]) send, (double[]) recv);
      case LONG -> comm.allGather((long[]) send, (long[]) recv);
      case INT -> comm.allGather((int[]) send, (int[]) recv);
      case BYTE -> comm.allGather((byte[]) send, (byte[]) recv);
    }
    print("allGather:" + type + ":" + n, recv);
  }

  /** Ranks 2k and 2k+1 swap arrays with send and recv (a rank without a partner sits out). */
  private void exchange(Datatype type, int n) {
    int partner = rank ^ 1;
    if (partner >= size) {
      return;
    }
    Object send = filled(type, n, rank);
    Object recv = filled(type, n, -1);
    int tag = 40 + type.ordinal();
    if (rank % 2 == 0) {
      send(send, partner, tag);
      recv(recv, partner, tag);
    } else {
      recv(recv, partner, tag);
      send(send, partner, tag);
    }
    print("exchange:" + type + ":" + n, recv);
  }

  private void send(Object buf, int dest, int tag) {
    if (buf instanceof double[] a) {
      comm.send(a, dest, tag);
    } else if (buf instanceof long[] a) {
      comm.send(a, dest, tag);
    } else if (buf instanceof int[] a) {
      comm.send(a, dest, tag);
    } else {
      comm.send((byte[]) buf, dest, tag);
    }
  }

  private void recv(Object buf, int source, int tag) {
    if (buf instanceof double[] a) {
      comm.recv(a, source, tag);
    } else if (buf instanceof long[] a) {
      comm.recv(a, source, tag);
    } else if (buf instanceof int[] a) {
      comm.recv(a, source, tag);
    } else {
      comm.recv((byte[]) buf, source, tag);
    }
  }

  private void gatherScatter(int n) {
    double[] send = (double[]) filled(Datatype.DOUBLE, n, rank);
    double[] gathered = rank == 0 ? new double[n * size] : null;
    comm.gather(send, gathered, 0);
    if (rank == 0) {
      print("gather:DOUBLE:" + n, gathered);
    }
    int root = 1 % size;
    double[] all = null;
    if (rank == root) {
      all = new double[n * size];
      for (int r = 0; r < size; r++) {
        for (int i = 0; i < n; i++) {
          all[r * n + i] = value(r, i);
        }
      }
    }
    double[] mine = new double[n];
    Arrays.fill(mine, -1);
    comm.scatter(all, mine, root);
    print("scatter:DOUBLE:" + n, mine);
  }

  /** Every rank sends to the next and receives from the previous, all at once. */
  private void ring(int n) {
    double[] send = (double[]) filled(Datatype.DOUBLE, n, rank);
    double[] recv = (double[]) filled(Datatype.DOUBLE, n, -1);
    comm.sendRecv(send, 0, (rank + 1) % size, recv, 0, (rank - 1 + size) % size, n, 7);
    print("ring:DOUBLE:" + n, recv);
  }

  /**
   * A 1-D domain of {@code n} cells per rank with {@code width} ghost cells each side: both
   * halos exchanged, the outer edges of ranks 0 and size-1 having no neighbour (-1).
   */
  private void halo(int n, int width) {
    int interior = Math.max(n, width);
    double[] u = new double[interior + 2 * width];
    Arrays.fill(u, -1);
    for (int i = 0; i < interior; i++) {
      u[width + i] = value(rank, i);
    }
    int left = rank == 0 ? -1 : rank - 1;
    int right = rank == size - 1 ? -1 : rank + 1;
    // first interior cells to the left, right ghosts from the right; then the other way
    comm.sendRecv(u, width, left, u, width + interior, right, width, 11);
    comm.sendRecv(u, interior, right, u, 0, left, width, 12);
    print("halo:" + interior + ":" + width, u);
  }

  private void bufferBcast(int n) {
    int root = 0;
    ByteBuffer buf = ByteBuffer.allocateDirect(n + 10);
    for (int i = 0; i < n + 10; i++) {
      buf.put(i, (byte) -1);
    }
    if (rank == root) {
      for (int i = 0; i < n; i++) {
        buf.put(5 + i, (byte) value(root, i));
      }
    }
    buf.position(5).limit(5 + n);
    comm.bcast(buf, root);
    printBuffer("bufferBcast:" + n, buf);
  }

  private void bufferExchange(int n) {
    int partner = rank ^ 1;
    if (partner >= size) {
      return;
    }
    ByteBuffer send = ByteBuffer.allocateDirect(n + 3);
    for (int i = 0; i < n; i++) {
      send.put(3 + i, (byte) value(rank, i));
    }
    send.position(3);
    ByteBuffer recv = ByteBuffer.allocateDirect(n + 10);
    for (int i = 0; i < n + 10; i++) {
      recv.put(i, (byte) -1);
    }
    recv.position(5).limit(5 + n);
    if (rank % 2 == 0) {
      comm.send(send, partner, 9);
      comm.recv(recv, partner, 9);
    } else {
      comm.recv(recv, partner, 9);
      comm.send(send, partner, 9);
    }
    printBuffer("bufferExchange:" + n, recv);
  }

  /** Values from byte 8 on of native-order buffers; {@code inPlace} reduces one buffer onto itself. */
  private void bufferAllReduce(Datatype type, int n, Op op, boolean inPlace) {
    int at = 8;
    int bytes = n * type.bytes();
    ByteBuffer send = ByteBuffer.allocateDirect(at + bytes).order(ByteOrder.nativeOrder());
    ByteBuffer recv = inPlace ? send
        : ByteBuffer.allocateDirect(at + bytes).order(ByteOrder.nativeOrder());
    for (int i = 0; i < n; i++) {
      int v = value(rank, i);
      int p = at + i * type.bytes();
      switch (type) {
        case DOUBLE -> send.putDouble(p, v);
        case LONG -> send.putLong(p, v);
        case INT -> send.putInt(p, v);
        case BYTE -> send.put(p, (byte) v);
      }
    }
    send.position(at);
    recv.position(at);
    comm.allReduce(send, recv, n, type, op);
    Object result = filled(type, n, -1);
    for (int i = 0; i < n; i++) {
      int p = at + i * type.bytes();
      switch (type) {
        case DOUBLE -> ((double[]) result)[i] = recv.getDouble(p);
        case LONG -> ((long[]) result)[i] = recv.getLong(p);
        case INT -> ((int[]) result)[i] = recv.getInt(p);
        case BYTE -> ((byte[]) result)[i] = recv.get(p);
      }
    }
    String kind = inPlace ? "bufferAllReduceInPlace:" : "bufferAllReduce:";
    print(kind + type + ":" + n + ":" + op + " position=" + recv.position(), result);
  }

  /** Values past 32 bits: rank r adds (r + 1) << 40 to each. */
  private void bigLongs() {
    for (Op op : new Op[] {Op.SUM, Op.MIN, Op.MAX}) {
      long[] buf = new long[4096];
      for (int i = 0; i < buf.length; i++) {
        buf[i] = ((long) (rank + 1) << 40) + i;
      }
      comm.allReduce(buf, op);
      print("bigLongs:" + op, buf);
    }
  }

  // ---- errors ----

  private void errors() {
    int partner = rank ^ 1;
    attempt("heapBuffer", () -> comm.bcast(ByteBuffer.allocate(8), 0));
    attempt("allGatherLength", () -> comm.allGather(new double[2], new double[3]));
    attempt("rootRange", () -> comm.bcast(new double[1], size));
    attempt("destRange", () -> comm.send(new int[1], -1, 0));
    attempt("sourceRange", () -> comm.recv(new int[1], size + 3, 0));
    attempt("negativeTag", () -> comm.send(new int[1], partner, -5));
    attempt("allReduceLength", () -> comm.allReduce(new double[2], new double[3], Op.SUM));
    attempt("sendRecvRange", () -> comm.sendRecv(new double[4], 3, partner, new double[4], 0,
        partner, 2, 0));
    attempt("byteOrder", () -> comm.allReduce(ByteBuffer.allocateDirect(16),
        ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder()), 2, Datatype.DOUBLE, Op.SUM));
    attempt("bufferCount", () -> comm.allReduce(direct(16), direct(8), 2, Datatype.DOUBLE, Op.SUM));
    attempt("readOnly", () -> comm.recv(ByteBuffer.allocateDirect(8).asReadOnlyBuffer(), partner, 0));
    if (rank == 0) {
      attempt("gatherLength", () -> comm.gather(new double[2], new double[2 * size + 1], 0));
      attempt("scatterLength", () -> comm.scatter(new double[3 * size - 1], new double[3], 0));
    }
    comm.barrier();
    // MPI's own errors, between ranks 0 and 1: a message longer than the buffer, and a shorter one
    int[] lengths = {10, 5000};
    if (rank == 0) {
      for (int n : lengths) {
        comm.send(new double[n], 1, 1);
        comm.send(new double[n / 2], 1, 2);
      }
      comm.send(ByteBuffer.allocateDirect(64), 1, 3);
    } else if (rank == 1) {
      for (int n : lengths) {
        attempt("truncated:" + n, () -> comm.recv(new double[n / 2], 0, 1));
        attempt("short:" + n, () -> comm.recv(new double[n], 0, 2));
      }
      attempt("truncatedBuffer", () -> comm.recv(ByteBuffer.allocateDirect(32), 0, 3));
    }
    // the same through sendRecv: rank 0 sends n and expects n, rank 1 sends and expects n / 2
    if (rank < 2) {
      for (int n : lengths) {
        int count = rank == 0 ? n : n / 2;
        attempt("sendRecv:" + n, () -> comm.sendRecv(new double[count], 0, partner,
            new double[count], 0, partner, count, 4));
      }
    }
    comm.barrier();
    attempt("initTwice", () -> NativeCommunicator.init(() -> { }));
    attempt("otherThread", () -> onOtherThread(comm::barrier));
  }

  private static void onOtherThread(Runnable call) {
    RuntimeException[] thrown = new RuntimeException[1];
    Thread t = new Thread(() -> {
      try {
        call.run();
      } catch (RuntimeException e) {
        thrown[0] = e;
      }
    });
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
    if (thrown[0] != null) {
      throw thrown[0];
    }
  }

  private static ByteBuffer direct(int bytes) {
    return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
  }

  private void attempt(String name, Runnable call) {
    try {
      call.run();
      out.println("error:" + name + " none");
    } catch (RuntimeException e) {
      out.println("error:" + name + " " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    out.flush();
  }

  // ---- stress ----

  /**
   * Collectives on arrays on both sides of the limit while two threads allocate and drop
   * objects as fast as they can and the task thread takes implicit null checks: a rank whose
   * signal handlers MPI had replaced dies at the first of these.
   */
  private void stress(int iterations) {
    List<Thread> churners = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread churner = new Thread(CommunicatorProbe::churn, "churn-" + t);
      churner.setDaemon(true);
      churner.start();
      churners.add(churner);
    }
    long gcBefore = gcCount();
    long nulls = 0;
    long wrong = 0;
    int[] lengths = {100, 2048, 2049, 40000};
    for (int it = 0; it < iterations; it++) {
      int n = lengths[it % lengths.length];
      double[] buf = new double[n];
      for (int i = 0; i < n; i++) {
        buf[i] = value(rank, i) + it;
      }
      comm.allReduce(buf, Op.SUM);
      for (int i = 0; i < n; i += 97) {
        double expected = 0;
        for (int r = 0; r < size; r++) {
          expected += value(r, i) + it;
        }
        if (buf[i] != expected) {
          wrong++;
        }
      }
      double[] got = new double[n];
      comm.sendRecv(buf, 0, (rank + 1) % size, got, 0, (rank - 1 + size) % size, n, 5);
      if (got[n - 1] != buf[n - 1]) {
        wrong++;
      }
      nulls += nullChecks(it);
    }
    out.println("stress iterations=" + iterations + " wrong=" + wrong + " nulls=" + nulls
        + " gcs=" + (gcCount() - gcBefore));
  }

  private static volatile Object sink;

  private static void churn() {
    Object[] window = new Object[4096];
    for (long i = 0; ; i++) {
      window[(int) (i & 4095)] = new long[(int) (i % 512) + 1];
      if ((i & 0xffff) == 0) {
        sink = window.clone();
      }
    }
  }

  private static int sizeOf(int[] a) {
    return a.length;
  }

  /** Calls that dereference null on every other iteration: implicit null checks, i.e. SIGSEGV. */
  private static long nullChecks(int seed) {
    int[] some = new int[3];
    long caught = 0;
    for (int i = 0; i < 200; i++) {
      try {
        sizeOf(((i + seed) & 1) == 0 ? some : null);
      } catch (NullPointerException e) {
        caught++;
      }
    }
    return caught;
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  // ---- abort ----

  /** Rank 0 aborts the job with code 7 while the others wait in a barrier that never ends. */
  private void abort() throws IOException {
    comm.barrier();
    out.println("aborting");
    out.flush();
    comm.barrier(); // every rank has written its line before rank 0 ends them all
    if (rank == 0) {
      NativeCommunicator.abort(7);
    }
    comm.barrier();
  }

  // ---- output ----

  private static Object filled(Datatype type, int n, int r) {
    Object a = switch (type) {
      case DOUBLE -> new double[n];
      case LONG -> new long[n];
      case INT -> new int[n];
      case BYTE -> new byte[n];
    };
    for (int i = 0; i < n; i++) {
      int v = r < 0 ? -1 : value(r, i);
      switch (type) {
        case DOUBLE -> ((double[]) a)[i] = v;
        case LONG -> ((long[]) a)[i] = v;
        case INT -> ((int[]) a)[i] = v;
        case BYTE -> ((byte[]) a)[i] = (byte) v;
      }
    }
    return a;
  }

  private void print(String name, Object array) {
    out.println(name + " " + length(array) + " " + hash(array));
  }

  /** The whole buffer (position to limit checked unchanged too) as bytes. */
  private void printBuffer(String name, ByteBuffer buf) {
    byte[] all = new byte[buf.capacity()];
    buf.duplicate().clear().get(all);
    print(name + " position=" + buf.position() + " limit=" + buf.limit(), all);
  }

  static int length(Object array) {
    return java.lang.reflect.Array.getLength(array);
  }

  static int hash(Object array) {
    if (array instanceof double[] a) {
      return Arrays.hashCode(a);
    } else if (array instanceof long[] a) {
      return Arrays.hashCode(a);
    } else if (array instanceof int[] a) {
      return Arrays.hashCode(a);
    }
    return Arrays.hashCode((byte[]) array);
  }
}
