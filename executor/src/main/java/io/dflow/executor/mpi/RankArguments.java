package io.dflow.executor.mpi;

import io.dflow.executor.ExecutorConf;
import io.dflow.executor.net.TransportConf;
import java.util.List;

/**
 * A rank's command line, as the driver writes it: {@code --driver HOST:PORT --gang ID} and the
 * transport's settings ({@code --max-frame}, {@code --fetch-chunk}, {@code --handshake-ms}, as
 * {@link io.dflow.executor.net.TransportOptions#of} writes them), optionally
 * {@code --execution-fraction}. Parsed by hand rather than by the command-line library the
 * executor uses: that library is compiled for Java 5, so its classes cannot be in a class-data
 * archive and are verified again in every rank, which cost four ranks on two cores about 0.4 s
 * each before they could even start to connect.
 */
record RankArguments(String driverHost, int driverPort, String gang, int maxFrame, int fetchChunk,
    long handshakeMillis, double executionFraction) {

  /** Thrown for a command line that is not a rank's; the message says which word is wrong. */
  static final class BadArguments extends IllegalArgumentException {
    BadArguments(String message) {
      super(message);
    }
  }

  static RankArguments parse(List<String> args) {
    String driver = null;
    String gang = null;
    int maxFrame = TransportConf.DEFAULT_MAX_FRAME_BYTES;
    int fetchChunk = TransportConf.DEFAULT_FETCH_CHUNK_BYTES;
    long handshake = TransportConf.DEFAULT_HANDSHAKE_TIMEOUT_MILLIS;
    double fraction = ExecutorConf.DEFAULT_EXECUTION_FRACTION;
    for (int i = 0; i < args.size(); i += 2) {
      String name = args.get(i);
      if (i + 1 >= args.size()) {
        throw new BadArguments(name + " needs a value");
      }
      String value = args.get(i + 1);
      switch (name) {
        case "--driver" -> driver = value;
        case "--gang" -> gang = value;
        case "--max-frame" -> maxFrame = (int) number(name, value, Integer.MAX_VALUE);
        case "--fetch-chunk" -> fetchChunk = (int) number(name, value, Integer.MAX_VALUE);
        case "--handshake-ms" -> handshake = number(name, value, Long.MAX_VALUE);
        case "--execution-fraction" -> fraction = fraction(value);
        default -> throw new BadArguments("unknown option " + name);
      }
    }
    if (driver == null || gang == null) {
      throw new BadArguments("missing " + (driver == null ? "--driver HOST:PORT" : "--gang ID"));
    }
    int colon = driver.lastIndexOf(':');
    if (colon <= 0) {
      throw new BadArguments("--driver expects HOST:PORT, got " + driver);
    }
    int port = (int) number("--driver's port", driver.substring(colon + 1), 65_535);
    return new RankArguments(driver.substring(0, colon), port, gang, maxFrame, fetchChunk, handshake, fraction);
  }

  /** The transport's settings with {@code secret}. */
  TransportConf transport(byte[] secret) {
    return new TransportConf(secret, maxFrame, fetchChunk, handshakeMillis);
  }

  private static long number(String name, String value, long max) {
    try {
      long n = Long.parseLong(value);
      if (n <= 0 || n > max) {
        throw new BadArguments(name + " must be between 1 and " + max + ", got " + value);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new BadArguments(name + " expects a whole number, got " + value);
    }
  }

  private static double fraction(String value) {
    try {
      double f = Double.parseDouble(value);
      if (!(f > 0 && f < 1)) {
        throw new BadArguments("--execution-fraction must be between 0 and 1, got " + value);
      }
      return f;
    } catch (NumberFormatException e) {
      throw new BadArguments("--execution-fraction expects a number, got " + value);
    }
  }
}
