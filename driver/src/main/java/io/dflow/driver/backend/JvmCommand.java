package io.dflow.driver.backend;

import io.dflow.driver.DflowConf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line of the JVMs the driver starts on this machine (executors, MPI ranks): this
 * JVM's {@code java}, the class-data archive the driver runs with, the heap and its collector
 * ({@link HeapOptions}), the user's extra
 * options and the class path, ready for a main class and its arguments.
 */
public final class JvmCommand {
  private JvmCommand() {}

  public static List<String> of(Map<String, String> conf) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = conf.getOrDefault("dflow.executor.classpath", System.getProperty("java.class.path"));
    List<String> cmd = new ArrayList<>(List.of(java));
    String archive = System.getProperty(LocalClusterBackend.CDS_ARCHIVE_PROPERTY);
    if (archive != null) {
      // It fits when executors get the driver's own class path (the default); -Xshare:auto
      // skips, silently, an archive that does not fit or is not one at all.
      cmd.addAll(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off",
          "-Xlog:cds+dynamic=off"));
    }
    String home = System.getProperty("dflow.home");
    if (home != null) {
      cmd.add("-Ddflow.home=" + home);
    }
    String heap = conf.getOrDefault(DflowConf.EXECUTOR_MEMORY, "1g");
    cmd.addAll(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx" + heap));
    String options = conf.getOrDefault(DflowConf.EXECUTOR_JAVA_OPTIONS, "").strip();
    List<String> userOptions = options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    cmd.addAll(HeapOptions.forHeap(DflowConf.sizeValue(Map.of(DflowConf.EXECUTOR_MEMORY, heap),
        DflowConf.EXECUTOR_MEMORY), userOptions));
    // The user's options after dflow's own, so that they win (as in Spark's extraJavaOptions).
    cmd.addAll(userOptions);
    cmd.addAll(List.of("-cp", classpath));
    return cmd;
  }
}
