package io.dflow.executor.mpi;

import io.dflow.api.mpi.Communicator;
import io.dflow.api.mpi.Datatype;
import io.dflow.api.mpi.MpiException;
import io.dflow.api.mpi.Op;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * {@link Communicator} over the system's Open MPI through JNI: {@code MPI_COMM_WORLD} of the
 * job {@code mpirun} started this process in, initialised once per process by {@link #init}.
 *
 * <p>How an array reaches MPI depends on its size. Up to {@value #DEFAULT_COPY_MAX_BYTES}
 * bytes it is copied through a reused direct buffer: next to MPI's own work the copy costs
 * nothing measurable, and it saves the JNI calls that pin and release the array. Up to
 * {@value #DEFAULT_CRITICAL_MAX_BYTES}
 * bytes MPI works on the array itself, held in a JNI critical region, which saves the copies
 * where they start to show (a few per cent). Larger arrays are copied through pooled direct
 * buffers again, because a critical region holds off the garbage collector of the whole JVM
 * for as long as the call lasts, waiting for the other ranks included; {@code allReduce} and
 * {@code bcast} then move {@value #CHUNK_BYTES}-byte pieces, each copied in, reduced or
 * broadcast while it is in the cache, and copied back (faster than one call over the whole
 * array). The system properties {@value #COPY_MAX_BYTES_PROPERTY} and
 * {@value #CRITICAL_MAX_BYTES_PROPERTY} move the two limits.
 *
 * <p>Arguments are checked before MPI sees them (a bad one throws
 * {@link IllegalArgumentException}); a {@code recv} whose message is not exactly as long as
 * its buffer throws {@link MpiException}, and MPI never writes past the buffer. Collectives
 * need arrays of the same length on every rank, as in MPI. {@link ByteBuffer} calls leave
 * positions and limits as they were; typed reductions over them need buffers in native byte
 * order.
 *
 * <p>Threading: one thread at a time ({@code MPI_THREAD_SERIALIZED}). Open MPI makes every
 * call dearer at any level above {@code MPI_THREAD_SINGLE} (it then locks its internals: about
 * 70 ns more per small collective between two ranks on one machine), so with the system
 * property {@value #THREAD_LEVEL_PROPERTY}{@code =single} MPI is initialised at that level
 * and every call must come from the thread that called {@link #init} (others throw
 * {@link IllegalStateException}).
 */
public final class NativeCommunicator implements Communicator {
  /** Arrays of at most this many bytes are copied to MPI rather than pinned. */
  public static final int DEFAULT_COPY_MAX_BYTES = 8 * 1024;

  /** Arrays of at most this many bytes (and more than the copy limit) are pinned for MPI. */
  public static final int DEFAULT_CRITICAL_MAX_BYTES = 16 * 1024;

  /** The system property that overrides {@link #DEFAULT_COPY_MAX_BYTES}. */
  public static final String COPY_MAX_BYTES_PROPERTY = "dflow.mpi.copyMaxBytes";

  /** The system property that overrides {@link #DEFAULT_CRITICAL_MAX_BYTES}. */
  public static final String CRITICAL_MAX_BYTES_PROPERTY = "dflow.mpi.criticalMaxBytes";

  /** The system property that chooses the MPI thread level: {@code serialized} (the default) or {@code single}. */
  public static final String THREAD_LEVEL_PROPERTY = "dflow.mpi.threadLevel";

  /**
   * The piece of a large {@code allReduce} or {@code bcast}: cut the same way on every rank
   * whatever its limits, since each piece is one MPI call.
   */
  static final int CHUNK_BYTES = 1 << 20;

  private static final int NOT_STARTED = 0;
  private static final int RUNNING = 1;
  private static final int FINISHED = 2;
  private static volatile int state = NOT_STARTED;

  private final int rank;
  private final int size;
  private final Runnable progress;
  private volatile boolean inCall;
  /** The only thread that may call, at MPI_THREAD_SINGLE; null at MPI_THREAD_SERIALIZED. */
  private final Thread owner;
  private final int copyMaxBytes;
  private final int criticalMaxBytes;
  private final DirectBufferPool pool = new DirectBufferPool();

  private NativeCommunicator(int rank, int size, Runnable progress, Thread owner,
      int copyMaxBytes, int criticalMaxBytes) {
    this.rank = rank;
    this.size = size;
    this.progress = progress;
    this.owner = owner;
    this.copyMaxBytes = copyMaxBytes;
    this.criticalMaxBytes = criticalMaxBytes;
  }

  /**
   * Initialises MPI in this process ({@code MPI_Init_thread}, which {@code mpirun} must have
   * started) and returns {@code MPI_COMM_WORLD}; {@code progress} runs at the start of every
   * call of the communicator. MPI is initialised at most once per process.
   *
   * @throws MpiUnavailableException if the shim or Open MPI is missing
   * @throws MpiException if MPI does not start
   */
  public static NativeCommunicator init(Runnable progress) {
    Objects.requireNonNull(progress, "progress");
    synchronized (NativeCommunicator.class) {
      if (state != NOT_STARTED) {
        throw new IllegalStateException(state == RUNNING
            ? "MPI is already initialised in this process"
            : "MPI was finalised in this process and cannot be initialised again");
      }
      boolean single = singleThreaded();
      int copyMax = bytesProperty(COPY_MAX_BYTES_PROPERTY, DEFAULT_COPY_MAX_BYTES);
      int criticalMax = bytesProperty(CRITICAL_MAX_BYTES_PROPERTY, DEFAULT_CRITICAL_MAX_BYTES);
      MpiNative.load();
      int[] rankSize = MpiNative.init(single);
      state = RUNNING;
      return new NativeCommunicator(rankSize[0], rankSize[1], progress,
          single ? Thread.currentThread() : null, copyMax, criticalMax);
    }
  }

  private static boolean singleThreaded() {
    String level = System.getProperty(THREAD_LEVEL_PROPERTY, "serialized").trim();
    if (!level.equals("single") && !level.equals("serialized")) {
      throw new IllegalArgumentException(THREAD_LEVEL_PROPERTY + " is " + level
          + ", not serialized or single");
    }
    return level.equals("single");
  }

  private static int bytesProperty(String name, int defaultValue) {
    String value = System.getProperty(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a number of bytes: " + value);
    }
  }

  /** Ends MPI in this process ({@code MPI_Finalize}); every rank must call it. Later calls throw. */
  public void finish() {
    synchronized (NativeCommunicator.class) {
      if (state != RUNNING) {
        return;
      }
      state = FINISHED;
    }
    MpiNative.finish();
  }

  /**
   * Ends every rank of the job with exit code {@code code} ({@code MPI_Abort}); if MPI is not
   * running in this process, halts this JVM with it.
   */
  public static void abort(int code) {
    if (state == RUNNING) {
      MpiNative.abort(code);
    }
    Runtime.getRuntime().halt(code);
  }

  @Override
  public int rank() {
    enter();
    leave();
    return rank;
  }

  @Override
  public int size() {
    enter();
    leave();
    return size;
  }

  @Override
  public void barrier() {
    enter();
    try {
      MpiNative.barrier();
    } finally {
      leave();
    }
  }

  // ---- bcast ----

  @Override
  public void bcast(double[] buf, int root) {
    bcastArray(buf, buf.length, Datatype.DOUBLE, root);
  }

  @Override
  public void bcast(long[] buf, int root) {
    bcastArray(buf, buf.length, Datatype.LONG, root);
  }

  @Override
  public void bcast(int[] buf, int root) {
    bcastArray(buf, buf.length, Datatype.INT, root);
  }

  @Override
  public void bcast(byte[] buf, int root) {
    bcastArray(buf, buf.length, Datatype.BYTE, root);
  }

  @Override
  public void bcast(ByteBuffer buf, int root) {
    enter();
    try {
      checkRank(root, "root");
      long address = address(buf, "buf", rank != root);
      MpiNative.bcastBuffer(address, buf.remaining(), Datatype.BYTE.ordinal(), root);
      Reference.reachabilityFence(buf);
    } finally {
      leave();
    }
  }

  private void bcastArray(Object buf, int count, Datatype type, int root) {
    enter();
    try {
      checkRank(root, "root");
      int chunk = chunk(count, type);
      if (pinned((long) count * type.bytes())) {
        for (int at = 0; at < count; at += chunk) {
          MpiNative.bcastArray(buf, at, Math.min(chunk, count - at), type.ordinal(), root);
        }
        return;
      }
      StagingBuffer staged = pool.take(chunk * type.bytes());
      try {
        for (int at = 0; at < count; at += chunk) {
          int n = Math.min(chunk, count - at);
          if (rank == root) {
            staged.put(0, buf, at, n, type);
          }
          MpiNative.bcastBuffer(staged.address(0, type), n, type.ordinal(), root);
          if (rank != root) {
            staged.get(0, buf, at, n, type);
          }
        }
      } finally {
        pool.give(staged);
      }
    } finally {
      leave();
    }
  }

  // ---- allReduce ----

  @Override
  public void allReduce(double[] send, double[] recv, Op op) {
    sameLength(send.length, recv.length);
    allReduceArray(send == recv ? null : send, recv, recv.length, Datatype.DOUBLE, op);
  }

  @Override
  public void allReduce(long[] send, long[] recv, Op op) {
    sameLength(send.length, recv.length);
    allReduceArray(send == recv ? null : send, recv, recv.length, Datatype.LONG, op);
  }

  @Override
  public void allReduce(int[] send, int[] recv, Op op) {
    sameLength(send.length, recv.length);
    allReduceArray(send == recv ? null : send, recv, recv.length, Datatype.INT, op);
  }

  @Override
  public void allReduce(double[] buf, Op op) {
    allReduceArray(null, buf, buf.length, Datatype.DOUBLE, op);
  }

  @Override
  public void allReduce(long[] buf, Op op) {
    allReduceArray(null, buf, buf.length, Datatype.LONG, op);
  }

  @Override
  public void allReduce(int[] buf, Op op) {
    allReduceArray(null, buf, buf.length, Datatype.INT, op);
  }

  @Override
  public void allReduce(ByteBuffer send, ByteBuffer recv, int count, Datatype type, Op op) {
    enter();
    try {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(op, "op");
      if (count < 0) {
        throw new IllegalArgumentException("allReduce: negative count " + count);
      }
      long bytes = (long) count * type.bytes();
      long from = address(send, "send", false);
      long to = address(recv, "recv", true);
      holds(send, bytes, "send");
      holds(recv, bytes, "recv");
      if (type != Datatype.BYTE) {
        nativeOrder(send, "send");
        nativeOrder(recv, "recv");
      }
      // one buffer, or two views of the same bytes: in place, as MPI forbids aliased buffers
      MpiNative.allReduceBuffer(from == to ? 0 : from, to, count, type.ordinal(), op.ordinal());
      Reference.reachabilityFence(send);
      Reference.reachabilityFence(recv);
    } finally {
      leave();
    }
  }

  /** A null {@code send} reduces {@code recv} in place. */
  private void allReduceArray(Object send, Object recv, int count, Datatype type, Op op) {
    enter();
    try {
      Objects.requireNonNull(op, "op");
      int chunk = chunk(count, type);
      if (pinned((long) count * type.bytes())) {
        for (int at = 0; at < count; at += chunk) {
          MpiNative.allReduceArray(send, at, recv, at, Math.min(chunk, count - at), type.ordinal(),
              op.ordinal());
        }
        return;
      }
      // In place in the staging buffer: MPI then skips its own copy of send into recv.
      StagingBuffer staged = pool.take(chunk * type.bytes());
      try {
        Object from = send == null ? recv : send;
        for (int at = 0; at < count; at += chunk) {
          int n = Math.min(chunk, count - at);
          staged.put(0, from, at, n, type);
          MpiNative.allReduceBuffer(0, staged.address(0, type), n, type.ordinal(), op.ordinal());
          staged.get(0, recv, at, n, type);
        }
      } finally {
        pool.give(staged);
      }
    } finally {
      leave();
    }
  }

  // ---- allGather, gather, scatter ----

  @Override
  public void allGather(double[] send, double[] recv) {
    allGatherArray(send, send.length, recv, recv.length, Datatype.DOUBLE);
  }

  @Override
  public void allGather(long[] send, long[] recv) {
    allGatherArray(send, send.length, recv, recv.length, Datatype.LONG);
  }

  @Override
  public void allGather(int[] send, int[] recv) {
    allGatherArray(send, send.length, recv, recv.length, Datatype.INT);
  }

  @Override
  public void allGather(byte[] send, byte[] recv) {
    allGatherArray(send, send.length, recv, recv.length, Datatype.BYTE);
  }

  private void allGatherArray(Object send, int count, Object recv, int recvLength, Datatype type) {
    enter();
    try {
      if (recvLength != (long) count * size) {
        throw new IllegalArgumentException("allGather: recv has " + recvLength
            + " elements, not send's " + count + " times the " + size + " ranks");
      }
      long bytes = (long) recvLength * type.bytes();
      if (inPlace(bytes)) {
        MpiNative.allGatherArray(send, 0, recv, 0, count, type.ordinal());
        return;
      }
      StagingBuffer staged = pool.take((int) bytes);
      try {
        // In place: this rank's slice of the staging buffer is its send buffer.
        staged.put(rank * count, send, 0, count, type);
        MpiNative.allGatherBuffer(0, staged.address(0, type), count, type.ordinal());
        staged.get(0, recv, 0, recvLength, type);
      } finally {
        pool.give(staged);
      }
    } finally {
      leave();
    }
  }

  @Override
  public void gather(double[] send, double[] recv, int root) {
    enter();
    try {
      checkRank(root, "root");
      int count = send.length;
      boolean atRoot = rank == root;
      if (atRoot) {
        Objects.requireNonNull(recv, "recv (at the root)");
        if (recv.length != (long) count * size) {
          throw new IllegalArgumentException("gather: recv has " + recv.length
              + " elements, not send's " + count + " times the " + size + " ranks");
        }
      }
      Datatype type = Datatype.DOUBLE;
      long bytes = (long) (atRoot ? recv.length : count) * type.bytes();
      if (inPlace(bytes)) {
        MpiNative.gatherArray(send, 0, atRoot ? recv : null, 0, count, type.ordinal(), root);
        return;
      }
      StagingBuffer staged = pool.take((int) bytes);
      try {
        // The root gathers in place: its own slice of the staging buffer is its send buffer.
        staged.put(atRoot ? rank * count : 0, send, 0, count, type);
        long buf = staged.address(0, type);
        MpiNative.gatherBuffer(atRoot ? 0 : buf, atRoot ? buf : 0, count, type.ordinal(), root);
        if (atRoot) {
          staged.get(0, recv, 0, recv.length, type);
        }
      } finally {
        pool.give(staged);
      }
    } finally {
      leave();
    }
  }

  @Override
  public void scatter(double[] send, double[] recv, int root) {
    enter();
    try {
      checkRank(root, "root");
      int count = recv.length;
      boolean atRoot = rank == root;
      if (atRoot) {
        Objects.requireNonNull(send, "send (at the root)");
        if (send.length != (long) count * size) {
          throw new IllegalArgumentException("scatter: send has " + send.length
              + " elements, not recv's " + count + " times the " + size + " ranks");
        }
      }
      Datatype type = Datatype.DOUBLE;
      long bytes = (long) (atRoot ? send.length : count) * type.bytes();
      if (inPlace(bytes)) {
        MpiNative.scatterArray(atRoot ? send : null, 0, recv, 0, count, type.ordinal(), root);
        return;
      }
      StagingBuffer staged = pool.take((int) bytes);
      try {
        if (atRoot) {
          staged.put(0, send, 0, send.length, type);
        }
        // The root scatters in place: its own slice stays where it is in the staging buffer.
        long buf = staged.address(0, type);
        MpiNative.scatterBuffer(atRoot ? buf : 0, atRoot ? 0 : buf, count, type.ordinal(), root);
        staged.get(atRoot ? rank * count : 0, recv, 0, count, type);
      } finally {
        pool.give(staged);
      }
    } finally {
      leave();
    }
  }

  // ---- send, recv ----

  @Override
  public void send(double[] buf, int dest, int tag) {
    sendArray(buf, buf.length, Datatype.DOUBLE, dest, tag);
  }

  @Override
  public void send(long[] buf, int dest, int tag) {
    sendArray(buf, buf.length, Datatype.LONG, dest, tag);
  }

  @Override
  public void send(int[] buf, int dest, int tag) {
    sendArray(buf, buf.length, Datatype.INT, dest, tag);
  }

  @Override
  public void send(byte[] buf, int dest, int tag) {
    sendArray(buf, buf.length, Datatype.BYTE, dest, tag);
  }

  @Override
  public void send(ByteBuffer buf, int dest, int tag) {
    enter();
    try {
      checkRank(dest, "dest");
      checkTag(tag);
      long address = address(buf, "buf", false);
      MpiNative.sendBuffer(address, buf.remaining(), Datatype.BYTE.ordinal(), dest, tag);
      Reference.reachabilityFence(buf);
    } finally {
      leave();
    }
  }

  private void sendArray(Object buf, int count, Datatype type, int dest, int tag) {
    enter();
    try {
      checkRank(dest, "dest");
      checkTag(tag);
      long bytes = messageBytes(count, type);
      if (pinned(bytes)) {
        MpiNative.sendArray(buf, 0, count, type.ordinal(), dest, tag);
        return;
      }
      StagingBuffer staged = pool.take((int) bytes);
      try {
        staged.put(0, buf, 0, count, type);
        MpiNative.sendBuffer(staged.address(0, type), count, type.ordinal(), dest, tag);
      } finally {
        pool.give(staged);
      }
    } finally {
      leave();
    }
  }

  @Override
  public void recv(double[] buf, int source, int tag) {
    recvArray(buf, buf.length, Datatype.DOUBLE, source, tag);
  }

  @Override
  public void recv(long[] buf, int source, int tag) {
    recvArray(buf, buf.length, Datatype.LONG, source, tag);
  }

  @Override
  public void recv(int[] buf, int source, int tag) {
    recvArray(buf, buf.length, Datatype.INT, source, tag);
  }

  @Override
  public void recv(byte[] buf, int source, int tag) {
    recvArray(buf, buf.length, Datatype.BYTE, source, tag);
  }

  @Override
  public void recv(ByteBuffer buf, int source, int tag) {
    enter();
    try {
      checkRank(source, "source");
      checkTag(tag);
      long address = address(buf, "buf", true);
      int count = buf.remaining();
      int got = MpiNative.recvBuffer(address, count, Datatype.BYTE.ordinal(), source, tag);
      Reference.reachabilityFence(buf);
      exactly("MPI_Recv", got, count, Datatype.BYTE, source, tag);
    } finally {
      leave();
    }
  }

  private void recvArray(Object buf, int count, Datatype type, int source, int tag) {
    enter();
    try {
      checkRank(source, "source");
      checkTag(tag);
      long bytes = messageBytes(count, type);
      if (pinned(bytes)) {
        int got = MpiNative.recvArray(buf, 0, count, type.ordinal(), source, tag);
        exactly("MPI_Recv", got, count, type, source, tag);
        return;
      }
      StagingBuffer staged = pool.take((int) bytes);
      try {
        int got = MpiNative.recvBuffer(staged.address(0, type), count, type.ordinal(), source, tag);
        exactly("MPI_Recv", got, count, type, source, tag);
        staged.get(0, buf, 0, count, type);
      } finally {
        pool.give(staged);
      }
    } finally {
      leave();
    }
  }

  // ---- sendRecv ----

  @Override
  public void sendRecv(double[] send, int sendOffset, int dest, double[] recv, int recvOffset,
      int source, int count, int tag) {
    enter();
    try {
      checkTag(tag);
      if (count < 0) {
        throw new IllegalArgumentException("sendRecv: negative count " + count);
      }
      if (dest != -1) {
        checkRank(dest, "dest");
        slice(send, sendOffset, count, "send");
      }
      if (source != -1) {
        checkRank(source, "source");
        slice(recv, recvOffset, count, "recv");
      }
      Datatype type = Datatype.DOUBLE;
      long bytes = messageBytes(count, type);
      if (pinned(bytes)) {
        int got = MpiNative.sendRecvArray(dest == -1 ? null : send, sendOffset, dest,
            source == -1 ? null : recv, recvOffset, source, count, type.ordinal(), tag);
        if (source != -1) {
          exactly("MPI_Sendrecv", got, count, type, source, tag);
        }
        return;
      }
      StagingBuffer out = dest == -1 ? null : pool.take((int) bytes);
      StagingBuffer in = source == -1 ? null : pool.take((int) bytes);
      try {
        if (out != null) {
          out.put(0, send, sendOffset, count, type);
        }
        int got = MpiNative.sendRecvBuffer(out == null ? 0 : out.address(0, type), dest,
            in == null ? 0 : in.address(0, type), source, count, type.ordinal(), tag);
        if (in != null) {
          exactly("MPI_Sendrecv", got, count, type, source, tag);
          in.get(0, recv, recvOffset, count, type);
        }
      } finally {
        pool.give(in);
        pool.give(out);
      }
    } finally {
      leave();
    }
  }

  // ---- checks ----

  private void enter() {
    if (state != RUNNING) {
      throw new IllegalStateException("MPI was finalised in this process");
    }
    if (owner != null && Thread.currentThread() != owner) {
      throw new IllegalStateException("MPI runs at MPI_THREAD_SINGLE (" + THREAD_LEVEL_PROPERTY
          + "=single): only " + owner.getName() + ", which initialised it, may call it, not "
          + Thread.currentThread().getName());
    }
    progress.run();
    inCall = true;
  }

  /** The end of a call that {@link #enter} began. */
  private void leave() {
    inCall = false;
  }

  /**
   * Whether a call is under way: a rank waiting in a collective for a slow peer is not hung
   * itself, though it makes no other progress.
   */
  public boolean inCall() {
    return inCall;
  }

  /** Whether an array of {@code bytes} goes to MPI in place rather than through a copy. */
  private boolean pinned(long bytes) {
    return bytes > copyMaxBytes && bytes <= criticalMaxBytes;
  }

  /** As {@link #pinned}, and also beyond 2 GiB, which no direct buffer holds. */
  private boolean inPlace(long bytes) {
    return pinned(bytes) || bytes > Integer.MAX_VALUE;
  }

  /** Elements per piece of an {@code allReduce} or {@code bcast} of {@code count}. */
  private static int chunk(int count, Datatype type) {
    return Math.max(1, Math.min(count, CHUNK_BYTES / type.bytes()));
  }

  private void checkRank(int peer, String what) {
    if (peer < 0 || peer >= size) {
      throw new IllegalArgumentException(what + " " + peer + " is not a rank of the " + size
          + " ranks (0 to " + (size - 1) + ")");
    }
  }

  private static void checkTag(int tag) {
    if (tag < 0) {
      throw new IllegalArgumentException("negative tag " + tag);
    }
  }

  private static void sameLength(int send, int recv) {
    if (send != recv) {
      throw new IllegalArgumentException("allReduce: send has " + send + " elements but recv has "
          + recv);
    }
  }

  private static void slice(double[] array, int offset, int count, String what) {
    Objects.requireNonNull(array, what);
    if (offset < 0 || offset > array.length - count) {
      throw new IllegalArgumentException("sendRecv: " + what + " elements " + offset + " to "
          + ((long) offset + count) + " are outside its " + array.length);
    }
  }

  /** Point-to-point messages are counted in bytes by an int, as MPI_Get_count does. */
  private static long messageBytes(int count, Datatype type) {
    long bytes = (long) count * type.bytes();
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("a message of " + bytes + " bytes: point-to-point"
          + " messages are limited to 2 GiB");
    }
    return bytes;
  }

  private static void exactly(String call, int receivedBytes, int expected, Datatype type,
      int source, int tag) {
    if (receivedBytes != (long) expected * type.bytes()) {
      String received = receivedBytes % type.bytes() == 0
          ? receivedBytes / type.bytes() + " elements" : receivedBytes + " bytes";
      throw new MpiException(call + " received " + received + " from rank " + source
          + " with tag " + tag + " but its buffer holds " + expected);
    }
  }

  /** The address of {@code buf}'s position; it must be direct, and writable if it receives. */
  private static long address(ByteBuffer buf, String what, boolean receives) {
    Objects.requireNonNull(buf, what);
    if (!buf.isDirect()) {
      throw new IllegalArgumentException(what + " is a heap buffer: MPI calls over a ByteBuffer"
          + " need a direct one (ByteBuffer.allocateDirect), or pass an array");
    }
    if (receives && buf.isReadOnly()) {
      throw new IllegalArgumentException(what + " is read-only but receives data");
    }
    return MpiNative.address(buf) + buf.position();
  }

  private static void holds(ByteBuffer buf, long bytes, String what) {
    if (buf.remaining() < bytes) {
      throw new IllegalArgumentException("allReduce: " + what + " has " + buf.remaining()
          + " bytes from its position to its limit, fewer than the " + bytes + " of the count");
    }
  }

  private static void nativeOrder(ByteBuffer buf, String what) {
    if (buf.order() != ByteOrder.nativeOrder()) {
      throw new IllegalArgumentException(what + " is in " + buf.order() + " byte order but MPI"
          + " reduces values in native order: call order(ByteOrder.nativeOrder()) before filling it");
    }
  }
}
