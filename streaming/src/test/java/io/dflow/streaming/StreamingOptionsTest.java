package io.dflow.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.pipe.ChildCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's checks, and the program check done before any task runs. */
class StreamingOptionsTest {
  @TempDir
  Path dir;

  private static StreamingOptions options(List<String> inputs, String output, String mapper, String reducer,
      Integer reduces, String partitioner, String format, List<String> cmdenv, Map<String, String> defines) {
    return new StreamingOptions(inputs, output, mapper, null, reducer, List.of(), cmdenv, reduces, partitioner,
        format, defines);
  }

  @Test
  void requiredOptionsAndBadValuesAreNamed() {
    assertEquals("missing -input: give at least one input path", assertThrows(IllegalArgumentException.class,
        () -> options(List.of(), "out", "cat", null, null, null, null, List.of(), Map.of())).getMessage());
    assertEquals("missing -mapper: give the mapper command", assertThrows(IllegalArgumentException.class,
        () -> options(List.of("in"), "out", null, null, null, null, null, List.of(), Map.of())).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> options(List.of("in"), "out", "cat", null, -1,
        null, null, List.of(), Map.of())).getMessage().startsWith("-numReduceTasks must not be negative"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> options(List.of("in"), "out", "cat", null, null,
        "org.example.MyPartitioner", null, List.of(), Map.of())).getMessage()
        .startsWith("-partitioner org.example.MyPartitioner is not supported"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> options(List.of("in"), "out", "cat", null, null,
        null, "SequenceFileInputFormat", List.of(), Map.of())).getMessage()
        .startsWith("-inputformat SequenceFileInputFormat is not supported"));
    assertEquals("-cmdenv expects NAME=VALUE, got 'NOVALUE'", assertThrows(IllegalArgumentException.class,
        () -> options(List.of("in"), "out", "cat", null, null, null, null, List.of("NOVALUE"), Map.of())).getMessage());
  }

  @Test
  void inputsMapOnlyAndTheChildrensEnvironment() {
    StreamingOptions o = options(List.of("a,b", " c ,", "d"), "out", "cat", "NONE", null, null,
        "org.apache.hadoop.mapred.KeyValueTextInputFormat", List.of("X=one two", "Y=a=b"), Map.of("my.key", "v"));
    assertEquals(List.of("a", "b", "c", "d"), o.inputPaths());
    assertTrue(o.mapOnly());
    assertTrue(o.keyValueInput());
    assertEquals(Map.of("my_key", "v", "X", "one two", "Y", "a=b"), o.childEnvironment());
    assertTrue(options(List.of("in"), "out", "cat", "cat", 0, null, null, List.of(), Map.of()).mapOnly());
    assertTrue(options(List.of("in"), "out", "cat", "cat", null, null, null, List.of(),
        Map.of("mapreduce.job.reduces", "0")).mapOnly());
    StreamingOptions identity = options(List.of("in"), "out", "cat", null, 3, null, null, List.of(), Map.of());
    assertFalse(identity.mapOnly());
    assertTrue(identity.identityReducer());
  }

  @Test
  void programsAreCheckedBeforeAnyTask() throws Exception {
    ChildCommand missing = ChildCommand.parse("mapper", "no-such-program-here x", Map.of());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ProgramCheck.check(missing, List.of()))
        .getMessage().contains("command not found: no-such-program-here"));
    ChildCommand relative = ChildCommand.parse("mapper", "scripts/m.py", Map.of());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ProgramCheck.check(relative, List.of()))
        .getMessage().contains("is a relative path"));
    Path plain = Files.writeString(dir.resolve("m.py"), "print(1)\n");
    List<ShippedFile> notExecutable = ShippedFile.read(List.of(plain.toString()));
    ChildCommand direct = ChildCommand.parse("mapper", "./m.py", Map.of());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ProgramCheck.check(direct, notExecutable))
        .getMessage().contains("is not executable"));
    ProgramCheck.check(ChildCommand.parse("mapper", "python3 m.py", Map.of()), notExecutable); // on PATH
    Files.setPosixFilePermissions(plain, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProgramCheck.check(direct, ShippedFile.read(List.of(plain + "#m.py")));
    ProgramCheck.check(ChildCommand.parse("mapper", plain.toString(), Map.of()), List.of());
  }

  @Test
  void shippedFilesNeedReadableFilesAndDistinctNames() throws Exception {
    Path a = Files.writeString(dir.resolve("a.txt"), "a");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ShippedFile.read(List.of(dir.resolve("nope").toString())))
        .getMessage().contains("no such readable file"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ShippedFile.read(List.of(a + "#x", a + "#x")))
        .getMessage().contains("two files would be linked as x"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ShippedFile.read(List.of(a + "#../up")))
        .getMessage().contains("is not a file name"));
    ShippedFile file = ShippedFile.read(List.of(a + "#alias")).get(0);
    assertEquals("alias", file.link());
    Path work = Files.createDirectories(dir.resolve("work"));
    file.linkInto(work, dir.resolve("shared"));
    file.linkInto(work, dir.resolve("shared")); // a second task of the executor: already there
    assertEquals("a", Files.readString(work.resolve("alias")));
    assertTrue(Files.isSymbolicLink(work.resolve("alias")));
  }
}
