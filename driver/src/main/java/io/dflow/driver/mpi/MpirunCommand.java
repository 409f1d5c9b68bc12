package io.dflow.driver.mpi;

import io.dflow.executor.mpi.RankEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mpirun} command line of a gang: one rank per reserved slot, placed on the slots'
 * hosts in rank order ({@code --host a:2,b:2} puts ranks 0 and 1 on {@code a}), each rank's
 * output tagged with its number, and the rank JVM's command after it. Where every host is this
 * machine, ranks talk over shared memory and loopback; where some are not, {@code mpirun} starts
 * the Open MPI daemon of each other host through a launch agent in place of ssh, and Open MPI
 * keeps to the driver's network.
 *
 * <p>The run's secret and TLS identity are never on this command line, nor exported to ranks
 * ({@code -x}): {@code mpirun} sends exported variables to other hosts' daemons over Open MPI's
 * own plain TCP. Ranks on this machine inherit them from {@code mpirun}'s environment; ranks on
 * other hosts from their daemon's, which the executor there sets.
 */
final class MpirunCommand {
  private MpirunCommand() {}

  /**
   * @param mpirun the launcher ({@code dflow.mpi.mpirun})
   * @param hosts the host of each rank's slot, by rank; ranks of one host must be adjacent
   * @param extraOptions the user's options ({@code dflow.mpi.options})
   * @param placement {@link #oneMachine()} or {@link #acrossHosts}
   * @param rank the rank JVM's command line
   */
  static List<String> of(String mpirun, List<String> hosts, String extraOptions, List<String> placement,
      List<String> rank) {
    Map<String, Integer> slots = new LinkedHashMap<>();
    for (String h : hosts) {
      slots.merge(h, 1, Integer::sum);
    }
    List<String> hostList = new ArrayList<>();
    slots.forEach((h, n) -> hostList.add(h + ":" + n));
    List<String> cmd = new ArrayList<>(List.of(mpirun, "-n", String.valueOf(hosts.size()),
        "--host", String.join(",", hostList), "--oversubscribe", "--tag-output"));
    for (String variable : RankEnvironment.EXPORTED) {
      cmd.addAll(List.of("-x", variable));
    }
    cmd.addAll(placement);
    String extra = extraOptions == null ? "" : extraOptions.strip();
    if (!extra.isEmpty()) {
      cmd.addAll(List.of(extra.split("\\s+")));
    }
    // mpirun rewrites the command line of a program named java (it puts its own folder and the
    // working directory on the class path, which also spoils the class-data archive): through
    // env, it starts the rank's JVM as given
    cmd.add("env");
    cmd.addAll(rank);
    return cmd;
  }

  /**
   * Every rank on this machine: shared memory between ranks, and loopback for the rest (a machine
   * may have no other interface); the ob1 messaging layer at once, not after probing for fabrics.
   */
  static List<String> oneMachine() {
    return List.of("--mca", "btl", "self,vader,tcp", "--mca", "btl_tcp_if_include", "lo",
        "--mca", "oob_tcp_if_include", "lo", "--mca", "pml", "ob1");
  }

  /**
   * Ranks on other hosts: {@code agent} starts each host's daemon in place of ssh, only
   * {@code mpirun} starts daemons (no tree spawn: a daemon never runs the agent), a daemon stays
   * attached to what started it (so the executor that runs it sees it end), and Open MPI's own
   * connections and the ranks' TCP keep to {@code network} (the driver's subnet, as
   * {@code a.b.c.d/n}; null: Open MPI's choice).
   */
  static List<String> acrossHosts(Path agent, String network) throws IOException {
    if (agent.toString().chars().anyMatch(Character::isWhitespace)) {
      // Open MPI splits plm_rsh_agent at spaces
      throw new IOException("the MPI launch agent's path has a space in it (" + agent
          + "): give dflow.local.dir a path without spaces");
    }
    List<String> cmd = new ArrayList<>(List.of("--leave-session-attached",
        "--mca", "plm_rsh_agent", agent.toString(), "--mca", "plm_rsh_no_tree_spawn", "1",
        "--mca", "btl", "self,vader,tcp", "--mca", "pml", "ob1"));
    if (network != null) {
      cmd.addAll(List.of("--mca", "oob_tcp_if_include", network, "--mca", "btl_tcp_if_include", network));
    }
    return cmd;
  }

  /**
   * The subnet of this machine's interface that has address {@code host}, as {@code a.b.c.d/n},
   * or null when no interface here has it.
   */
  static String networkOf(String host) throws IOException {
    InetAddress address = InetAddress.getByName(host);
    NetworkInterface nic = NetworkInterface.getByInetAddress(address);
    if (nic == null) {
      return null;
    }
    for (InterfaceAddress ia : nic.getInterfaceAddresses()) {
      if (ia.getAddress().equals(address)) {
        byte[] bytes = address.getAddress();
        int prefix = ia.getNetworkPrefixLength();
        for (int bit = prefix; bit < bytes.length * 8; bit++) {
          bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return InetAddress.getByAddress(bytes).getHostAddress() + "/" + prefix;
      }
    }
    return null;
  }

  static boolean isThisMachine(String host) {
    return host.equals("localhost") || host.equals("127.0.0.1");
  }
}
