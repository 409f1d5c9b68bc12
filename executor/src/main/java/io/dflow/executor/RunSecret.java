package io.dflow.executor;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;

/**
 * Where a JVM the driver started finds the run's secret: in a YARN container, among the
 * container's credentials (the token file YARN names in {@code HADOOP_TOKEN_FILE_LOCATION},
 * private to the application's user), as secret key {@value #CREDENTIAL}; on this machine, in
 * the {@value ExecutorMain#SECRET_ENV} environment variable. Never on a command line.
 */
public final class RunSecret {
  /** The secret key's name among a container's credentials. */
  public static final String CREDENTIAL = "dflow.secret";
  private static final String TOKEN_FILE_ENV = "HADOOP_TOKEN_FILE_LOCATION";

  private RunSecret() {}

  /** The secret, or null when neither place has it. */
  public static byte[] find() throws IOException {
    String hex = System.getenv(ExecutorMain.SECRET_ENV);
    if (hex != null) {
      return HexFormat.of().parseHex(hex);
    }
    String tokens = System.getenv(TOKEN_FILE_ENV);
    if (tokens == null || !new File(tokens).isFile()) {
      return null;
    }
    Configuration conf = new Configuration(false);
    return Credentials.readTokenStorageFile(new Path(new File(tokens).toURI()), conf).getSecretKey(new Text(CREDENTIAL));
  }

  /** Credentials holding {@code secret}, as a YARN launch context takes them. */
  public static ByteBuffer asTokens(byte[] secret) {
    Credentials credentials = new Credentials();
    credentials.addSecretKey(new Text(CREDENTIAL), secret);
    DataOutputBuffer out = new DataOutputBuffer();
    try {
      credentials.writeTokenStorageToStream(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot happen: writing to memory", e);
    }
    return ByteBuffer.wrap(out.getData(), 0, out.getLength());
  }
}
