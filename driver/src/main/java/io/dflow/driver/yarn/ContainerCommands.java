package io.dflow.driver.yarn;

import io.dflow.driver.DflowConf;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.yarn.api.ApplicationConstants;

/**
 * The command lines of dflow's JVMs in YARN containers: the NodeManager's {@code JAVA_HOME},
 * the opens Arrow needs, the user's executor options, class path entries relative to the
 * container's working folder (where YARN put the shipped jars), output to YARN's log folder.
 */
final class ContainerCommands {
  private static final String SAFE = "[A-Za-z0-9_./:=,@%+-]+";

  /**
   * The environment of every dflow container: its own folder, where the driver's Hadoop settings
   * are its {@code core-site.xml} ({@link Staging#CONF_LINK}), is its {@code HADOOP_CONF_DIR},
   * whatever the node's own is.
   */
  static final Map<String, String> ENVIRONMENT = Map.of("HADOOP_CONF_DIR", ApplicationConstants.Environment.PWD.$$());

  private ContainerCommands() {}

  /** {@code java} with a heap of {@code heap} and class path {@code classpath}, ready for a main class. */
  static List<String> java(String heap, Map<String, String> conf, List<ShippedFile> classpath) {
    List<String> cmd = new ArrayList<>(List.of(ApplicationConstants.Environment.JAVA_HOME.$$() + "/bin/java",
        "-Xmx" + heap, "--add-opens=java.base/java.nio=ALL-UNNAMED"));
    String options = conf.getOrDefault(DflowConf.EXECUTOR_JAVA_OPTIONS, "").strip();
    if (!options.isEmpty()) {
      cmd.addAll(List.of(options.split("\\s+")));
    }
    List<String> links = new ArrayList<>();
    for (ShippedFile f : classpath) {
      links.add(f.link());
    }
    cmd.addAll(List.of("-cp", String.join(":", links)));
    return cmd;
  }

  /**
   * {@code args} as one line for the container's launch script, with stdout and stderr in YARN's
   * log folder. The shell execs the JVM, so the container's process is the JVM itself: a signal
   * YARN sends the container (a graceful shutdown's SIGTERM) reaches it, and the container ends
   * when it does, not when a shell in front of it dies of the same signal.
   */
  static String shellLine(List<String> args) {
    StringBuilder line = new StringBuilder("exec ");
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      // the first is java under {{JAVA_HOME}}, which the NodeManager expands
      line.append(i == 0 || a.matches(SAFE) ? a : "'" + a.replace("'", "'\\''") + "'").append(' ');
    }
    return line.append("1>").append(ApplicationConstants.LOG_DIR_EXPANSION_VAR).append("/stdout 2>")
        .append(ApplicationConstants.LOG_DIR_EXPANSION_VAR).append("/stderr").toString();
  }
}
