package io.dflow.driver.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.driver.DflowConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeapOptionsTest {
  @Test
  void aOneGigabyteHeapGetsTheParallelCollectorAndASmallStart() {
    assertEquals(List.of("-XX:+UseParallelGC", "-XX:GCTimeRatio=19", "-Xmn32m", "-Xms64m"),
        HeapOptions.forHeap(1L << 30, List.of()));
    assertEquals(List.of("-XX:+UseParallelGC", "-XX:GCTimeRatio=19", "-Xmn256m", "-Xms512m"),
        HeapOptions.forHeap(8L << 30, List.of("-Dx=y")));
  }

  @Test
  void theUsersOwnCollectorOrHeapSizesWin() {
    assertEquals(List.of(), HeapOptions.forHeap(1L << 30, List.of("-XX:+UseG1GC")));
    assertEquals(List.of("-XX:+UseParallelGC", "-XX:GCTimeRatio=19"),
        HeapOptions.forHeap(1L << 30, List.of("-Xms900m")));
    assertEquals(List.of("-XX:+UseParallelGC", "-XX:GCTimeRatio=19"), HeapOptions.forHeap(24L << 20, List.of()));
  }

  /** The options of an executor's command line start a real JVM, which reports the collector and sizes asked for. */
  @Test
  void anExecutorsCommandStartsAJvmWithThem() throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(JvmCommand.of(Map.of(DflowConf.EXECUTOR_MEMORY, "512m")));
    cmd.add(cmd.indexOf("-cp"), "-XX:+PrintFlagsFinal");
    cmd.add("-version");
    cmd.removeIf(o -> o.equals("-cp") || o.equals(System.getProperty("java.class.path")));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String flags = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), flags);
    assertTrue(flags.matches("(?s).*bool UseParallelGC\\s+= true.*"), "parallel collector");
    assertTrue(flags.matches("(?s).*size_t NewSize\\s+= " + (16L << 20) + "\\b.*"), "young generation");
    assertTrue(flags.matches("(?s).*size_t InitialHeapSize\\s+= " + (32L << 20) + "\\b.*"), "initial heap");
    assertTrue(flags.matches("(?s).*size_t MaxHeapSize\\s+= " + (512L << 20) + "\\b.*"), "heap limit");
    assertTrue(flags.matches("(?s).*uintx GCTimeRatio\\s+= 19\\b.*"), "time ratio");
  }
}
