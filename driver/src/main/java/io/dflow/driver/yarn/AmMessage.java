package io.dflow.driver.yarn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages between the driver and its application master, on the driver's authenticated
 * port. The driver decides (how many executors, which ids, where it would like them); the
 * application master asks YARN and reports what became of each container. A frame is
 * {@value #MARK}, a kind byte, then length-prefixed UTF-8 fields; it never carries the secret.
 */
sealed interface AmMessage {
  /** The first byte of every frame: no control message of the executors' protocol starts with it. */
  byte MARK = 'Y';
  /** At most this many fields, each at most {@link #MAX_FIELD} bytes: a frame comes from the network. */
  int MAX_FIELDS = 100_000;
  int MAX_FIELD = 16 << 20;

  /** AM to driver, once connected: which attempt of the application it is. */
  record Hello(String appAttempt) implements AmMessage {}

  /**
   * Driver to AM, first: how executor containers are launched.
   *
   * @param command the executor's command up to its per-container arguments ({@code --id}, {@code --host}, {@code --bind})
   * @param resources what YARN localises into each container
   */
  record Setup(int memoryMb, int cores, List<String> command, List<ShippedFile> resources) implements AmMessage {}

  /** Driver to AM: one container for executor {@code executor}, on one of {@code hosts} or {@code racks} if YARN can. */
  record Request(String executor, List<String> hosts, List<String> racks) implements AmMessage {}

  /** Driver to AM: release every container and unregister with this final status. */
  record Finish(boolean succeeded, String diagnostic) implements AmMessage {}

  /** AM to driver: executor {@code executor}'s process was started in {@code container} on {@code host} (its NodeManager's host:port). */
  record Started(String executor, String container, String host) implements AmMessage {}

  /** AM to driver: the container of {@code executor} ended (or could not start), with YARN's exit status and diagnostics. */
  record Ended(String executor, String container, String host, int exitStatus, String diagnostics) implements AmMessage {}

  /** Whether {@code frame} is one of these rather than an executor's control message. */
  static boolean isAmFrame(byte[] frame) {
    return frame.length > 1 && frame[0] == MARK;
  }

  default byte[] encode() {
    List<String> f = new ArrayList<>();
    byte kind;
    if (this instanceof Hello m) {
      kind = 'H';
      f.add(m.appAttempt());
    } else if (this instanceof Setup m) {
      kind = 'U';
      f.addAll(List.of(String.valueOf(m.memoryMb()), String.valueOf(m.cores()), String.valueOf(m.command().size())));
      f.addAll(m.command());
      for (ShippedFile r : m.resources()) {
        f.addAll(r.fields());
      }
    } else if (this instanceof Request m) {
      kind = 'R';
      f.addAll(List.of(m.executor(), String.join(",", m.hosts()), String.join(",", m.racks())));
    } else if (this instanceof Finish m) {
      kind = 'F';
      f.addAll(List.of(String.valueOf(m.succeeded()), m.diagnostic()));
    } else if (this instanceof Started m) {
      kind = 'S';
      f.addAll(List.of(m.executor(), m.container(), m.host()));
    } else {
      Ended m = (Ended) this;
      kind = 'E';
      f.addAll(List.of(m.executor(), m.container(), m.host(), String.valueOf(m.exitStatus()), m.diagnostics()));
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(MARK);
      out.writeByte(kind);
      out.writeInt(f.size());
      for (String s : f) {
        byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: writing to memory", e);
    }
    return bytes.toByteArray();
  }

  static AmMessage decode(byte[] frame) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame));
    if (in.readByte() != MARK) {
      throw new IOException("not an application master message");
    }
    byte kind = in.readByte();
    int n = in.readInt();
    if (n < 0 || n > MAX_FIELDS) {
      throw new IOException("an application master message with " + n + " fields");
    }
    List<String> f = new ArrayList<>(Math.min(n, 1024));
    for (int i = 0; i < n; i++) {
      int len = in.readInt();
      if (len < 0 || len > MAX_FIELD || len > in.available()) {
        throw new IOException("an application master message with a field of " + len + " bytes");
      }
      f.add(new String(in.readNBytes(len), StandardCharsets.UTF_8));
    }
    try {
      return switch (kind) {
        case 'H' -> new Hello(f.get(0));
        case 'U' -> {
          int commandSize = Integer.parseInt(f.get(2));
          List<String> command = List.copyOf(f.subList(3, 3 + commandSize));
          List<ShippedFile> resources = new ArrayList<>();
          for (int i = 3 + commandSize; i < f.size(); i += ShippedFile.FIELDS) {
            resources.add(ShippedFile.of(f.subList(i, i + ShippedFile.FIELDS)));
          }
          yield new Setup(Integer.parseInt(f.get(0)), Integer.parseInt(f.get(1)), command, resources);
        }
        case 'R' -> new Request(f.get(0), split(f.get(1)), split(f.get(2)));
        case 'F' -> new Finish(Boolean.parseBoolean(f.get(0)), f.get(1));
        case 'S' -> new Started(f.get(0), f.get(1), f.get(2));
        case 'E' -> new Ended(f.get(0), f.get(1), f.get(2), Integer.parseInt(f.get(3)), f.get(4));
        default -> throw new IOException("unknown application master message kind " + (kind & 0xff));
      };
    } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
      throw new IOException("a malformed application master message: " + e, e);
    }
  }

  private static List<String> split(String csv) {
    return csv.isEmpty() ? List.of() : List.of(csv.split(","));
  }
}
