package io.dflow.api.mpi;

import java.nio.ByteBuffer;

/**
 * The ranks of one MPI stage attempt, as {@code MPI_COMM_WORLD} of the Open MPI job that runs
 * them: point-to-point and collective calls, backed by the system's MPI library. Every rank
 * must make the same collective calls in the same order, as in MPI. Array calls move whole
 * arrays unless a count is given; {@link ByteBuffer} calls take direct buffers and move their
 * bytes from position to limit without a copy, for bulk data. A failed call throws
 * {@link MpiException} naming it.
 *
 * <p>Threading: one thread at a time (the rank's task thread).
 */
public interface Communicator {
  int rank();

  int size();

  void barrier();

  void bcast(double[] buf, int root);

  void bcast(long[] buf, int root);

  void bcast(int[] buf, int root);

  void bcast(byte[] buf, int root);

  /** Broadcasts the bytes from position to limit of a direct buffer. */
  void bcast(ByteBuffer buf, int root);

  void allReduce(double[] send, double[] recv, Op op);

  void allReduce(long[] send, long[] recv, Op op);

  void allReduce(int[] send, int[] recv, Op op);

  /** In place: {@code buf} holds this rank's values before and the reduction after. */
  void allReduce(double[] buf, Op op);

  void allReduce(long[] buf, Op op);

  void allReduce(int[] buf, Op op);

  /** Reduces {@code count} elements of {@code type} from the position of direct buffer {@code send} into {@code recv}'s. */
  void allReduce(ByteBuffer send, ByteBuffer recv, int count, Datatype type, Op op);

  /** Every rank's {@code send} (all of one length) side by side in rank order, in every rank's {@code recv}. */
  void allGather(double[] send, double[] recv);

  void allGather(long[] send, long[] recv);

  void allGather(int[] send, int[] recv);

  void allGather(byte[] send, byte[] recv);

  /** Every rank's {@code send} side by side in rank order, in {@code recv} of {@code root} (ignored elsewhere). */
  void gather(double[] send, double[] recv, int root);

  /** Slice {@code i} of {@code root}'s {@code send} (ignored elsewhere) into rank {@code i}'s {@code recv}. */
  void scatter(double[] send, double[] recv, int root);

  void send(double[] buf, int dest, int tag);

  void send(long[] buf, int dest, int tag);

  void send(int[] buf, int dest, int tag);

  void send(byte[] buf, int dest, int tag);

  /** Sends the bytes from position to limit of a direct buffer. */
  void send(ByteBuffer buf, int dest, int tag);

  void recv(double[] buf, int source, int tag);

  void recv(long[] buf, int source, int tag);

  void recv(int[] buf, int source, int tag);

  void recv(byte[] buf, int source, int tag);

  /** Receives into a direct buffer from its position to its limit. */
  void recv(ByteBuffer buf, int source, int tag);

  /**
   * Sends {@code count} elements of {@code send} from {@code sendOffset} to {@code dest} while
   * receiving {@code count} elements into {@code recv} at {@code recvOffset} from
   * {@code source}, without the deadlock two blocking calls in the wrong order would cause: a
   * halo exchange. A {@code dest} or {@code source} of -1 (no neighbour) skips that half.
   */
  void sendRecv(double[] send, int sendOffset, int dest, double[] recv, int recvOffset, int source,
      int count, int tag);
}
