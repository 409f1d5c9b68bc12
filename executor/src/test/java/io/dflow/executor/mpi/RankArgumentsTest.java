package io.dflow.executor.mpi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportOptions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rank's command line as the driver writes it, read back; and what is not one. */
class RankArgumentsTest {
  @Test
  void readsBackTheDriversRankCommandLineWithItsTransportSettings() {
    byte[] secret = "sixteen bytes at least".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    TransportConf sent = new TransportConf(secret, 1 << 20, 65_536, 2_500);
    List<String> args = new ArrayList<>(List.of("--driver", "10.0.0.1:4567", "--gang", "gang-3.0-1"));
    args.addAll(TransportOptions.of(sent));
    RankArguments parsed = RankArguments.parse(args);
    assertEquals("10.0.0.1", parsed.driverHost());
    assertEquals(4567, parsed.driverPort());
    assertEquals("gang-3.0-1", parsed.gang());
    TransportConf got = parsed.transport(secret);
    assertEquals(sent.maxFrameBytes(), got.maxFrameBytes());
    assertEquals(sent.fetchChunkBytes(), got.fetchChunkBytes());
    assertEquals(sent.handshakeTimeoutMillis(), got.handshakeTimeoutMillis());
    assertArrayEquals(secret, got.secret());
  }

  @Test
  void anIpv6DriverAddressKeepsItsColons() {
    RankArguments parsed = RankArguments.parse(List.of("--gang", "g", "--driver", "fe80::1:9000"));
    assertEquals("fe80::1", parsed.driverHost());
    assertEquals(9000, parsed.driverPort());
    assertEquals(TransportConf.DEFAULT_MAX_FRAME_BYTES, parsed.maxFrame(), "a setting not given keeps its default");
  }

  @Test
  void sayWhichWordIsWrong() {
    assertMessage("missing --gang ID", List.of("--driver", "h:1"));
    assertMessage("missing --driver HOST:PORT", List.of("--gang", "g"));
    assertMessage("--driver expects HOST:PORT, got h", List.of("--driver", "h", "--gang", "g"));
    assertMessage("unknown option --slots", List.of("--driver", "h:1", "--gang", "g", "--slots", "2"));
    assertMessage("--max-frame expects a whole number, got big", List.of("--driver", "h:1", "--gang", "g",
        "--max-frame", "big"));
    assertMessage("--gang needs a value", List.of("--driver", "h:1", "--gang"));
    assertMessage("--driver's port must be between 1 and 65535, got 70000", List.of("--driver", "h:70000",
        "--gang", "g"));
  }

  private static void assertMessage(String expected, List<String> args) {
    RankArguments.BadArguments e = assertThrows(RankArguments.BadArguments.class, () -> RankArguments.parse(args));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
