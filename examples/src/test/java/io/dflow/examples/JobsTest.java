package io.dflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dflow.api.JobContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example jobs end to end on {@link SerialRunner}: their plans serialise and give the right answers. */
class JobsTest {
  @TempDir Path dir;

  @Test
  void wordCountCountsCaseSensitiveWords() throws Exception {
    Path in = dir.resolve("in.txt");
    Files.writeString(in, "the cat\tThe cat.\n\n  the\u2003end \n");
    SerialRunner runner = new SerialRunner();
    new WordCount().run(new JobContext(runner, Map.of(), 2), new String[] {in.toString(), "out"});
    List<String> lines = runner.saved.get("out").stream().sorted().toList();
    assertEquals(List.of("The\t1", "cat\t1", "cat.\t1", "end\t1", "the\t2"), lines);
  }

  @Test
  void tinyTasksPrintsTheExactSum() throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      new TinyTasks().run(new JobContext(new SerialRunner(), Map.of(), 2), new String[] {"4"});
    } finally {
      System.setOut(stdout);
    }
    // 0 + 1 + 1024 + 59049
    assertEquals("sum of x^10 for x in [0, 4) = 60074\n", printed.toString(StandardCharsets.UTF_8));
  }
}
