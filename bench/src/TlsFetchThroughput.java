import io.dflow.executor.net.BlockRegion;
import io.dflow.executor.net.TlsIdentity;
import io.dflow.executor.net.TransportClient;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The microfigure of {@code bench/tls.sh}: fetch throughput of one block over one loopback
 * connection, plain and TLS, in this one warm JVM. {@code TlsFetchThroughput <MiB> <reps>
 * <fetches>}: per rep, plain then TLS (even reps TLS first), each a fresh server and client that
 * fetch the block three times untimed and then {@code fetches} times timed. Prints one line per
 * run: {@code RESULT rep=<r> setting=<plain|tls> mib_s=<throughput>}, after a line naming the TLS
 * engine: {@code ENGINE <OPENSSL|JDK>}.
 */
public final class TlsFetchThroughput {
  public static void main(String[] args) throws Exception {
    int mib = Integer.parseInt(args[0]);
    int reps = Integer.parseInt(args[1]);
    int fetches = Integer.parseInt(args[2]);
    byte[] data = new byte[mib << 20];
    new Random(1).nextBytes(data);
    Path file = Files.write(Files.createTempFile("tls-bench", ".data"), data);
    TlsIdentity identity = TlsIdentity.generate();
    System.out.println("ENGINE " + identity.engine());
    byte[] secret = new byte[32];
    new Random(2).nextBytes(secret);
    try {
      for (int rep = 1; rep <= reps; rep++) {
        for (String setting : rep % 2 == 1 ? new String[] {"plain", "tls"} : new String[] {"tls", "plain"}) {
          TransportConf conf = TransportConf.defaults(secret).withTls(setting.equals("tls") ? identity : null);
          try (TransportServer server = TransportServer.start("127.0.0.1", 0, conf, (from, body) -> { },
                   blockId -> new BlockRegion(file, 0, data.length));
               TransportClient client = TransportClient.connect("127.0.0.1", server.port(), conf, (from, body) -> { })) {
            for (int i = 0; i < 3; i++) {
              check(client.fetch("block").get(), data.length);
            }
            long start = System.nanoTime();
            for (int i = 0; i < fetches; i++) {
              check(client.fetch("block").get(), data.length);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "RESULT rep=%d setting=%s mib_s=%.1f%n", rep, setting,
                (double) fetches * mib / seconds);
          }
        }
      }
    } finally {
      Files.delete(file);
    }
    System.exit(0);
  }

  private static void check(byte[] got, int length) {
    if (got.length != length) {
      throw new IllegalStateException("fetched " + got.length + " bytes of " + length);
    }
  }
}
