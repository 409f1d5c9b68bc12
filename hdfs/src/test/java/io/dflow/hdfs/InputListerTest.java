package io.dflow.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.plan.InputFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputListerTest {
  private final Configuration conf = HadoopConf.create(Map.of());
  private final InputLister lister = new InputLister(conf);

  @TempDir
  Path dir;

  @BeforeEach
  void makeTree() throws IOException {
    write("in/b.txt", "bb\n");
    write("in/a.txt", "a\n");
    write("in/_SUCCESS", "");
    write("in/.a.txt.crc", "x");
    write("in/_temporary/0/part-00000", "junk\n");
    write("in/sub/c.txt", "ccc\n");
    write("in/sub/deeper/d.txt", "dddd\n");
    write("in/sub/.hidden/e.txt", "e\n");
    write("in/empty.txt", "");
    Files.createDirectories(dir.resolve("void/sub"));
  }

  @Test
  void aFolderListsItsVisibleFilesRecursivelySortedByPath() throws IOException {
    assertEquals(List.of("in/a.txt 2", "in/b.txt 3", "in/empty.txt 0", "in/sub/c.txt 4", "in/sub/deeper/d.txt 5"),
        names(lister.list(dir.resolve("in").toString())));
  }

  @Test
  void aFileListsItselfEvenWithAHiddenName() throws IOException {
    assertEquals(List.of("in/b.txt 3"), names(lister.list(dir.resolve("in/b.txt").toString())));
    assertEquals(List.of("in/_SUCCESS 0"), names(lister.list(dir.resolve("in/_SUCCESS").toString())));
  }

  @Test
  void aGlobListsVisibleMatchesAndTheFilesOfMatchingFolders() throws IOException {
    assertEquals(List.of("in/a.txt 2", "in/b.txt 3"), names(lister.list(dir.resolve("in/[ab].txt").toString())));
    assertEquals(List.of("in/sub/c.txt 4", "in/sub/deeper/d.txt 5"), names(lister.list(dir + "/in/s*")));
    assertEquals(List.of("in/a.txt 2", "in/b.txt 3", "in/empty.txt 0"), names(lister.list(dir + "/in/*.txt")));
  }

  @Test
  void pathsAreQualifiedAndBlocksCoverLocalFiles() throws IOException {
    List<InputFile> files = lister.list(dir.resolve("in/sub/c.txt").toString());
    assertEquals("file:" + dir.resolve("in/sub/c.txt"), files.get(0).path());
    assertEquals(1, files.get(0).blocks().size());
    assertEquals(4, files.get(0).blocks().get(0).length());
  }

  @Test
  void anEmptyFolderGivesNoFiles() throws IOException {
    assertEquals(List.of(), lister.list(dir.resolve("void").toString()));
  }

  @Test
  void aMissingPathOrAGlobMatchingNothingIsNamedInTheError() {
    FileNotFoundException missing = assertThrows(FileNotFoundException.class,
        () -> lister.list(dir.resolve("nope").toString()));
    assertEquals("Input path does not exist: file:" + dir.resolve("nope"), missing.getMessage());
    FileNotFoundException noMatch = assertThrows(FileNotFoundException.class,
        () -> lister.list(dir + "/in/*.csv"));
    assertTrue(noMatch.getMessage().startsWith("Input path does not exist: file:" + dir + "/in/*.csv"),
        noMatch.getMessage());
  }

  private List<String> names(List<InputFile> files) {
    String prefix = "file:" + dir + "/";
    return files.stream().map(f -> f.path().substring(prefix.length()) + " " + f.length()).toList();
  }

  private void write(String relative, String text) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
