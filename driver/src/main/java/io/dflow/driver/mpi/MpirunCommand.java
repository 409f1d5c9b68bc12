package io.dflow.driver.mpi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code mpirun} command line of a gang: one rank per reserved slot, placed on the slots'
 * hosts in rank order ({@code --host a:2,b:2} puts ranks 0 and 1 on {@code a}), each rank's
 * output tagged with its number, and the rank JVM's command after it.
 */
final class MpirunCommand {
  private MpirunCommand() {}

  /**
   * @param mpirun the launcher ({@code dflow.mpi.mpirun})
   * @param hosts the host of each rank's slot, by rank; ranks of one host must be adjacent
   * @param extraOptions the user's options ({@code dflow.mpi.options})
   * @param rank the rank JVM's command line
   */
  static List<String> of(String mpirun, List<String> hosts, String extraOptions, List<String> rank) {
    Map<String, Integer> slots = new LinkedHashMap<>();
    for (String h : hosts) {
      slots.merge(h, 1, Integer::sum);
    }
    List<String> hostList = new ArrayList<>();
    slots.forEach((h, n) -> hostList.add(h + ":" + n));
    List<String> cmd = new ArrayList<>(List.of(mpirun, "-n", String.valueOf(hosts.size()),
        "--host", String.join(",", hostList), "--oversubscribe", "--tag-output",
        "-x", io.dflow.executor.ExecutorMain.SECRET_ENV, "-x", io.dflow.executor.ExecutorMain.TLS_ENV));
    for (String variable : RankEnvironment.EXPORTED) {
      cmd.addAll(List.of("-x", variable));
    }
    if (slots.keySet().stream().allMatch(MpirunCommand::isThisMachine)) {
      // one machine: shared memory between ranks, and loopback for the rest (a machine may have
      // no other interface); the ob1 messaging layer at once, not after probing for fabrics
      cmd.addAll(List.of("--mca", "btl", "self,vader,tcp", "--mca", "btl_tcp_if_include", "lo",
          "--mca", "oob_tcp_if_include", "lo", "--mca", "pml", "ob1"));
    }
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

  static boolean isThisMachine(String host) {
    return host.equals("localhost") || host.equals("127.0.0.1");
  }
}
