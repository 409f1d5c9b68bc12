package io.dflow.executor.mpi;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The JNI shim over Open MPI ({@code libdflowmpi.so}, shipped in the executor jar under
 * {@value #RESOURCE_DIR}): one native method per MPI call, each in an array form (the arrays
 * are held in JNI critical regions for the call; offsets in elements) and a direct-buffer form
 * that takes addresses ({@link #address} plus a byte offset; the caller keeps the buffer
 * reachable for the call). {@code type} is a {@link io.dflow.api.mpi.Datatype} ordinal and
 * {@code op} an {@link io.dflow.api.mpi.Op} ordinal; a peer of -1 is {@code MPI_PROC_NULL}.
 * Callers validate arguments; a failed MPI call throws {@link io.dflow.api.mpi.MpiException}.
 */
final class MpiNative {
  static final String RESOURCE_DIR = "native/";
  private static final String LIBRARY = "libdflowmpi.so";

  private static boolean loaded;
  private static MpiUnavailableException failure;

  private MpiNative() {}

  /** Loads the shim once; throws {@link MpiUnavailableException} (every time) if it cannot. */
  static synchronized void load() {
    if (loaded) {
      return;
    }
    if (failure == null) {
      try {
        Path file = extract(MpiNative.class.getClassLoader(), resource());
        try {
          link(file);
        } finally {
          // Mapped once loaded: deleting now leaves no file behind a rank that MPI_Abort kills.
          deleteQuietly(file);
        }
        loaded = true;
        return;
      } catch (MpiUnavailableException e) {
        failure = e;
      }
    }
    throw failure;
  }

  /** The resource path of the shim for this platform, e.g. {@code native/linux-amd64/libdflowmpi.so}. */
  static String resource() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    return RESOURCE_DIR + (os.startsWith("linux") ? "linux" : os.replace(' ', '_')) + "-"
        + System.getProperty("os.arch") + "/" + LIBRARY;
  }

  /** Copies {@code resource} of {@code loader} into a temporary file. */
  static Path extract(ClassLoader loader, String resource) {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new MpiUnavailableException("the MPI shim " + resource + " is not on the class path:"
            + " the executor was built without mpicc (or not for this platform); install "
            + MpiUnavailableException.PACKAGES + " (Debian) and rebuild");
      }
      Path file = Files.createTempFile("libdflowmpi", ".so");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return file;
    } catch (IOException e) {
      throw new MpiUnavailableException("cannot extract the MPI shim " + resource + " into "
          + System.getProperty("java.io.tmpdir") + " (set java.io.tmpdir to a writable directory"
          + " that allows executables): " + e.getMessage(), e);
    }
  }

  /** {@link System#load}s the shim at {@code file}, which fails when Open MPI's library is missing. */
  static void link(Path file) {
    try {
      System.load(file.toAbsolutePath().toString());
    } catch (UnsatisfiedLinkError e) {
      throw new MpiUnavailableException("cannot load the MPI shim " + LIBRARY + ": "
          + e.getMessage() + "; it needs Open MPI 4 (libmpi.so.40): install "
          + MpiUnavailableException.PACKAGES + " (Debian)", e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // deleteOnExit still has it
    }
  }

  /** The address of a direct buffer's first byte (GetDirectBufferAddress). */
  static native long address(ByteBuffer buf);

  /**
   * MPI_Init_thread (once per process) asking for MPI_THREAD_SERIALIZED, or MPI_THREAD_SINGLE
   * if {@code single}, with MPI_ERRORS_RETURN on MPI_COMM_WORLD: {rank, size}.
   */
  static native int[] init(boolean single);

  static native void finish();

  static native void abort(int code);

  static native void barrier();

  static native void bcastArray(Object array, int offset, int count, int type, int root);

  static native void bcastBuffer(long buf, int count, int type, int root);

  /** A null {@code send} (0 for the buffer form) reduces {@code recv} in place. */
  static native void allReduceArray(Object send, int sendOffset, Object recv, int recvOffset,
      int count, int type, int op);

  static native void allReduceBuffer(long send, long recv, int count, int type, int op);

  /** {@code count} is per rank; a {@code send} of 0 in the buffer form gathers in place. */
  static native void allGatherArray(Object send, int sendOffset, Object recv, int recvOffset,
      int count, int type);

  static native void allGatherBuffer(long send, long recv, int count, int type);

  /**
   * {@code count} is per rank; {@code recv} is null (0) except at the root, where a
   * {@code send} of 0 in the buffer form gathers in place.
   */
  static native void gatherArray(Object send, int sendOffset, Object recv, int recvOffset,
      int count, int type, int root);

  static native void gatherBuffer(long send, long recv, int count, int type, int root);

  /**
   * {@code count} is per rank; {@code send} is null (0) except at the root, where a
   * {@code recv} of 0 in the buffer form scatters in place.
   */
  static native void scatterArray(Object send, int sendOffset, Object recv, int recvOffset,
      int count, int type, int root);

  static native void scatterBuffer(long send, long recv, int count, int type, int root);

  static native void sendArray(Object array, int offset, int count, int type, int dest, int tag);

  static native void sendBuffer(long buf, int count, int type, int dest, int tag);

  /**
   * Returns the number of bytes received. A message longer than the buffer is drained without
   * touching the buffer and throws (MPI_ERR_TRUNCATE).
   */
  static native int recvArray(Object array, int offset, int count, int type, int source, int tag);

  static native int recvBuffer(long buf, int count, int type, int source, int tag);

  /**
   * A {@code dest} or {@code source} of -1 skips that half; its array may then be null (0).
   * Returns the number of bytes received, as {@link #recvArray}.
   */
  static native int sendRecvArray(Object send, int sendOffset, int dest, Object recv,
      int recvOffset, int source, int count, int type, int tag);

  static native int sendRecvBuffer(long send, int dest, long recv, int source, int count,
      int type, int tag);
}
