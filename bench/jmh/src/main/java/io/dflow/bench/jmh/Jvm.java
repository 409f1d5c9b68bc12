package io.dflow.bench.jmh;

/** The options of every benchmark's forked JVM. */
final class Jvm {
  /** Arrow reflects into java.nio buffers. */
  static final String OPENS = "--add-opens=java.base/java.nio=ALL-UNNAMED";
  /** A fixed heap, so that heap growth is no part of a measurement. */
  static final String XMS = "-Xms2g";
  static final String XMX = "-Xmx2g";

  private Jvm() {}
}
