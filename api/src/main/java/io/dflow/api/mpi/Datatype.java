package io.dflow.api.mpi;

/** The element type of a {@link java.nio.ByteBuffer} handed to a {@link Communicator} reduction. */
public enum Datatype {
  BYTE(1), INT(4), LONG(8), DOUBLE(8);

  private final int bytes;

  Datatype(int bytes) {
    this.bytes = bytes;
  }

  /** The size of one element in bytes. */
  public int bytes() {
    return bytes;
  }
}
