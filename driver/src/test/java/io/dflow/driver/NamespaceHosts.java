package io.dflow.driver;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Separate hosts on one machine, for tests: Linux network namespaces, each with its own address
 * on a bridge in this namespace, which has the address {@link #driverAddress()}. A process
 * started through {@link #command} runs "on" a host: it sees only that host's interfaces (and
 * loopback of its own), and reaches the others and this namespace over the bridge. Everything is
 * removed by {@link #close}, and by a shutdown hook if the test JVM ends first. Each host has a
 * host name of its own too, the namespace's, which every host's {@code /etc/hosts} resolves.
 *
 * <p>Needs root (creating namespaces and links); {@link #create} fails saying so otherwise.
 */
final class NamespaceHosts implements AutoCloseable {
  /** One namespace: its name ({@code ip netns}) and its address on the bridge. */
  record Host(String namespace, String address) {
    /** The inode of the namespace's network namespace, as {@code /proc/<pid>/ns/net} of its processes names it. */
    long netInode() throws IOException {
      return ((Number) Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino")).longValue();
    }
  }

  private final String bridge;
  private final String subnet;
  private final List<Host> hosts = new ArrayList<>();
  private final Thread cleanup = new Thread(this::removeAll, "netns-cleanup");
  private Path hostsFile;

  private NamespaceHosts(String prefix, String subnet) {
    this.bridge = prefix + "br";
    this.subnet = subnet;
  }

  /** {@code count} namespaces on a fresh bridge; names and subnet are made from this JVM's pid. */
  static NamespaceHosts create(int count) throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new AssertionError("this test needs root: it makes Linux network namespaces (ip netns add) to run"
          + " executors on separate hosts; run it as root (bin/test and CI do)");
    }
    long pid = ProcessHandle.current().pid();
    String prefix = "df" + (pid % 100_000);
    String subnet = "10." + (200 + pid % 50) + "." + (pid / 50 % 250);
    NamespaceHosts hosts = new NamespaceHosts(prefix, subnet);
    Runtime.getRuntime().addShutdownHook(hosts.cleanup);
    try {
      hosts.ip("link", "add", hosts.bridge, "type", "bridge");
      hosts.ip("addr", "add", hosts.driverAddress() + "/24", "dev", hosts.bridge);
      hosts.ip("link", "set", hosts.bridge, "up");
      for (int i = 0; i < count; i++) {
        Host h = new Host(prefix + "-" + i, subnet + "." + (i + 2));
        hosts.hosts.add(h);
        String veth = prefix + "v" + i;
        hosts.ip("netns", "add", h.namespace());
        hosts.ip("link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", h.namespace());
        hosts.ip("link", "set", veth, "master", hosts.bridge, "up");
        hosts.ip("-n", h.namespace(), "addr", "add", h.address() + "/24", "dev", "eth0");
        hosts.ip("-n", h.namespace(), "link", "set", "eth0", "up");
        hosts.ip("-n", h.namespace(), "link", "set", "lo", "up");
      }
      StringBuilder names = new StringBuilder("127.0.0.1 localhost\n" + hosts.driverAddress() + " " + prefix + "-driver\n");
      for (Host h : hosts.hosts) {
        names.append(h.address()).append(' ').append(h.namespace()).append('\n');
      }
      hosts.hostsFile = Files.createTempFile(prefix + "-hosts", "");
      Files.writeString(hosts.hostsFile, names);
    } catch (IOException | RuntimeException e) {
      hosts.close();
      throw e;
    }
    return hosts;
  }

  /** This namespace's address on the bridge: where the hosts reach the driver. */
  String driverAddress() {
    return subnet + ".1";
  }

  List<Host> hosts() {
    return List.copyOf(hosts);
  }

  /**
   * {@code command} run inside {@code host}'s network namespace, with the namespace's name as its
   * host name (a UTS namespace of its own) and an {@code /etc/hosts} of its own that names every
   * host: Open MPI keeps its session folders and shared-memory segments by host name, so processes
   * of two "hosts" with one name would share them.
   */
  List<String> command(Host host, List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace(),
        "unshare", "--uts", "--mount", "--propagation", "private", "--",
        "sh", "-c", "hostname \"$0\" && mount --bind \"$1\" /etc/hosts && shift && exec \"$@\"",
        host.namespace(), hostsFile.toString()));
    cmd.addAll(command);
    return cmd;
  }

  private void ip(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    String out = run(cmd);
    if (out != null) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  /** Runs {@code cmd}; null when it succeeded, else what it printed. */
  private static String run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "timed out";
      }
      return p.exitValue() == 0 ? null : out.strip() + " (exit " + p.exitValue() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return "interrupted";
    }
  }

  /** Deletes the namespaces (their veth pairs with them) and the bridge. */
  @Override
  public void close() {
    removeAll();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanup);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  private synchronized void removeAll() {
    try {
      for (Host h : hosts) {
        run(List.of("ip", "netns", "del", h.namespace()));
      }
      hosts.clear();
      run(List.of("ip", "link", "del", bridge));
      if (hostsFile != null) {
        Files.deleteIfExists(hostsFile);
      }
    } catch (IOException e) {
      System.err.println("cannot remove the test's network namespaces: " + e.getMessage());
    }
  }
}
