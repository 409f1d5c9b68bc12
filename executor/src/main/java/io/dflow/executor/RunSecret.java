package io.dflow.executor;

import io.dflow.executor.net.TlsIdentity;
import io.dflow.executor.net.TransportConf;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.DataOutputBuffer;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.security.Credentials;

/**
 * Where a JVM the driver started finds the run's secret and, when connections are encrypted,
 * the application's TLS key and certificate ({@link TlsIdentity}): in a YARN container, among
 * the container's credentials (the token file YARN names in {@code HADOOP_TOKEN_FILE_LOCATION},
 * private to the application's user), as secret keys {@value #CREDENTIAL} and
 * {@value #TLS_CREDENTIAL}; on this machine, in the {@value ExecutorMain#SECRET_ENV} and
 * {@value ExecutorMain#TLS_ENV} environment variables (hex; the latter empty for plain TCP).
 * Never on a command line.
 */
public final class RunSecret {
  /** The secret key's name among a container's credentials. */
  public static final String CREDENTIAL = "dflow.secret";
  /** The TLS key material's name among a container's credentials (absent: plain TCP). */
  public static final String TLS_CREDENTIAL = "dflow.tls.identity";
  private static final String TOKEN_FILE_ENV = "HADOOP_TOKEN_FILE_LOCATION";

  private RunSecret() {}

  /** The secret, or null when neither place has it. */
  public static byte[] find() throws IOException {
    String hex = System.getenv(ExecutorMain.SECRET_ENV);
    if (hex != null) {
      return HexFormat.of().parseHex(hex);
    }
    Credentials tokens = tokens();
    return tokens == null ? null : tokens.getSecretKey(new Text(CREDENTIAL));
  }

  /** The application's TLS key and certificate, or null for plain TCP (or when neither place has it). */
  public static TlsIdentity findTls() throws IOException {
    String hex = System.getenv(ExecutorMain.SECRET_ENV) != null ? System.getenv(ExecutorMain.TLS_ENV) : null;
    if (hex != null) {
      return hex.isEmpty() ? null : TlsIdentity.decode(HexFormat.of().parseHex(hex));
    }
    Credentials tokens = tokens();
    byte[] encoded = tokens == null ? null : tokens.getSecretKey(new Text(TLS_CREDENTIAL));
    return encoded == null ? null : TlsIdentity.decode(encoded);
  }

  /** {@code transport}'s secret and key material as a process's environment holds them on this machine. */
  public static Map<String, String> environment(TransportConf transport) {
    return Map.of(ExecutorMain.SECRET_ENV, HexFormat.of().formatHex(transport.secret()),
        ExecutorMain.TLS_ENV, transport.encrypted() ? HexFormat.of().formatHex(transport.tls().encode()) : "");
  }

  private static Credentials tokens() throws IOException {
    String tokens = System.getenv(TOKEN_FILE_ENV);
    if (tokens == null || !new File(tokens).isFile()) {
      return null;
    }
    return Credentials.readTokenStorageFile(new Path(new File(tokens).toURI()), new Configuration(false));
  }

  /** Credentials holding {@code secret}, as a YARN launch context takes them. */
  public static ByteBuffer asTokens(byte[] secret) {
    return asTokens(secret, null);
  }

  /** Credentials holding {@code secret} and {@code tls}'s key material (null: none), as a YARN launch context takes them. */
  public static ByteBuffer asTokens(byte[] secret, TlsIdentity tls) {
    Credentials credentials = new Credentials();
    credentials.addSecretKey(new Text(CREDENTIAL), secret);
    if (tls != null) {
      credentials.addSecretKey(new Text(TLS_CREDENTIAL), tls.encode());
    }
    DataOutputBuffer out = new DataOutputBuffer();
    try {
      credentials.writeTokenStorageToStream(out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot happen: writing to memory", e);
    }
    return ByteBuffer.wrap(out.getData(), 0, out.getLength());
  }
}
