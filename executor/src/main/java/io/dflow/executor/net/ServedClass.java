package io.dflow.executor.net;

/**
 * A class a {@link ClassResolver} serves: its class file, and an attachment the server sends
 * with it, opaque to the transport (dflow's shell sends the values of the class's static fields).
 * Arrays are not copied: neither side changes them once handed over.
 */
public record ServedClass(byte[] bytecode, byte[] attachment) {
  public ServedClass {
    if (bytecode == null || attachment == null) {
      throw new IllegalArgumentException("a served class needs a class file and an attachment (maybe empty)");
    }
  }
}
