package io.dflow.executor.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Class fetches over real loopback sockets: a served class arrives whole with its attachment;
 * a name the resolver does not serve, a malformed name and one too big for a frame are refused
 * with a message while the connection stays usable; a peer without the secret never reaches the
 * resolver.
 */
@ExtendWith(LeakTracker.class)
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ClassFetchTest {
  private static final TransportConf CONF = NetTestSupport.conf();
  private static final byte[] BYTECODE = "pretend class file \u00e9".getBytes(StandardCharsets.UTF_8);
  private static final byte[] ATTACHMENT = {1, 2, 3, 0, -1};

  private final List<String> asked = new CopyOnWriteArrayList<>();
  private TransportServer server;

  @BeforeEach
  void start() throws IOException {
    Map<String, ServedClass> served = Map.of(
        "REPL.$JShell$11", new ServedClass(BYTECODE, ATTACHMENT),
        "REPL.$JShell$12$Word", new ServedClass(BYTECODE, new byte[0]),
        "REPL.Huge", new ServedClass(new byte[CONF.maxFrameBytes()], new byte[0]));
    server = TransportServer.start("127.0.0.1", 0, CONF, new NetTestSupport.RecordingHandler(), BlockResolver.NONE,
        name -> {
          asked.add(name);
          return served.get(name);
        });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void servedClassesArriveWithTheirAttachment() throws Exception {
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), CONF,
        new NetTestSupport.RecordingHandler())) {
      ServedClass first = client.fetchClass("REPL.$JShell$11").get(5, TimeUnit.SECONDS);
      assertArrayEquals(BYTECODE, first.bytecode());
      assertArrayEquals(ATTACHMENT, first.attachment());
      ServedClass nested = client.fetchClass("REPL.$JShell$12$Word").get(5, TimeUnit.SECONDS);
      assertArrayEquals(BYTECODE, nested.bytecode());
      assertEquals(0, nested.attachment().length);
    }
  }

  @Test
  void namesNotServedAreRefusedAndTheConnectionStaysUp() throws Exception {
    try (TransportClient client = TransportClient.connect("127.0.0.1", server.port(), CONF,
        new NetTestSupport.RecordingHandler())) {
      assertRefused(client, "java.lang.String", "is not served here");
      assertRefused(client, "io.dflow.executor.net.TransportServer", "is not served here");
      assertRefused(client, "../../etc/passwd", "not a class name");
      assertRefused(client, "/etc/passwd", "not a class name");
      assertRefused(client, "REPL..X", "not a class name");
      assertRefused(client, "REPL.Huge", "do not fit in a frame");
      assertEquals(List.of("java.lang.String", "io.dflow.executor.net.TransportServer", "REPL.Huge"), asked,
          "malformed names never reach the resolver");
      assertArrayEquals(BYTECODE, client.fetchClass("REPL.$JShell$11").get(5, TimeUnit.SECONDS).bytecode());
    }
  }

  @Test
  void aServerWithoutAResolverServesNothing() throws Exception {
    try (TransportServer plain = TransportServer.start("127.0.0.1", 0, CONF, new NetTestSupport.RecordingHandler(),
        BlockResolver.NONE);
        TransportClient client = TransportClient.connect("127.0.0.1", plain.port(), CONF,
            new NetTestSupport.RecordingHandler())) {
      assertRefused(client, "REPL.$JShell$11", "is not served here");
    }
  }

  @Test
  void aPeerWithoutTheSecretCannotAsk() {
    IOException e = assertThrows(IOException.class, () -> TransportClient.connect("127.0.0.1", server.port(),
        NetTestSupport.conf(NetTestSupport.OTHER_SECRET, 2_000), new NetTestSupport.RecordingHandler()));
    assertTrue(e.getMessage().contains("wrong secret"), e.getMessage());
    assertTrue(asked.isEmpty(), "the resolver was never asked");
  }

  private static void assertRefused(TransportClient client, String name, String why) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> client.fetchClass(name).get(5, TimeUnit.SECONDS));
    ClassNotServedException refused = assertInstanceOf(ClassNotServedException.class, e.getCause());
    assertTrue(refused.getMessage().contains(why), refused.getMessage());
  }
}
