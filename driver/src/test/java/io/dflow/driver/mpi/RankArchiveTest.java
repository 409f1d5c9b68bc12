package io.dflow.driver.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ranks' class-data archive with real JVMs: the first gang's rank 0 (and only it) writes the
 * archive, a later gang's ranks map it (the JVM says it loaded classes from it), a failed gang
 * keeps nothing, a gang with ranks on other hosts writes none, and a class path with a folder of
 * classes before a jar gets no archive.
 */
class RankArchiveTest {
  @TempDir
  Path dir;

  @Test
  void rankZeroWritesTheArchiveOnceAndLaterRanksMapIt() throws Exception {
    Path jar = helloJar();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = List.of(java, "-Xmx64m", "-cp", jar.toString());
    Path folder = dir.resolve("archives");
    RankArchive archive = new RankArchive(folder.toString());

    RankArchive.Use first = archive.use(command, "gang-0.0-0", true);
    assertNotNull(first.writes(), "no archive yet: the first gang writes it");
    assertNull(archive.use(command, "gang-1.0-1", true).writes(), "one gang at a time writes it");
    assertEquals("hello 1", run(first.command(), 1, "1"), "rank 1 runs as asked");
    assertFalse(Files.exists(first.writes()), "a rank other than 0 writes no archive");
    assertEquals("hello 0", run(first.command(), 0, "0"));
    assertTrue(Files.size(first.writes()) > 0, "rank 0 wrote the archive as it exited");
    archive.finished(first, true);
    List<Path> kept;
    try (var files = Files.list(folder)) {
      kept = files.toList();
    }
    assertEquals(1, kept.size(), "the archive alone is kept: " + kept);
    assertTrue(kept.get(0).getFileName().toString().matches("rank-[0-9a-f]{16}\\.jsa"), kept.toString());

    RankArchive.Use later = archive.use(command, "gang-2.0-2", true);
    assertNull(later.writes());
    assertTrue(later.command().contains("-XX:SharedArchiveFile=" + kept.get(0)), later.command().toString());
    List<String> logged = new ArrayList<>(later.command());
    logged.removeIf(o -> o.startsWith("-Xlog:cds"));
    logged.add(1, "-Xlog:class+load=info");
    String out = run(logged, 2, "2");
    assertTrue(out.contains("dflowtest.jobs.HelloMain source: shared objects file (top)"),
        "the rank mapped its class from the archive:\n" + out);
  }

  @Test
  void aFailedGangKeepsNoArchiveAndFoldersOfClassesGetNone() throws Exception {
    Path jar = helloJar();
    Path folder = dir.resolve("archives");
    RankArchive archive = new RankArchive(folder.toString());
    List<String> command = List.of("java", "-cp", jar.toString());
    RankArchive.Use failed = archive.use(command, "gang-0.0-0", true);
    Files.writeString(failed.writes(), "half an archive");
    archive.finished(failed, false);
    try (var files = Files.list(folder)) {
      assertEquals(List.of(), files.toList(), "nothing kept of a failed gang's archive");
    }
    RankArchive.Use acrossHosts = new RankArchive(dir.resolve("other").toString()).use(command, "gang-4.0-4", false);
    assertNull(acrossHosts.writes(), "ranks on other hosts never write the archive");
    assertEquals(command, acrossHosts.command());
    assertNotNull(archive.use(command, "gang-0.1-1", true).writes(), "the next gang tries again");

    List<String> withClasses = List.of("java", "-cp", dir + ":" + jar);
    Files.createDirectories(dir.resolve("classes"));
    List<String> tree = List.of("java", "-XX:SharedArchiveFile=/driver.jsa", "-Xshare:auto", "-cp",
        dir.resolve("classes") + ":" + jar);
    RankArchive.Use none = new RankArchive(folder.toString()).use(tree, "gang-3.0-3", true);
    assertNull(none.writes());
    assertEquals(tree, none.command(), "a build tree's class path: the command as it was");
    assertEquals(withClasses, new RankArchive(RankArchive.OFF).use(withClasses, "g", true).command(), "off");
  }

  /** Runs {@code command} as rank {@code rank} would be run, with {@code arg}; returns what it printed. */
  private static String run(List<String> command, int rank, String arg) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(command);
    cmd.addAll(List.of("dflowtest.jobs.HelloMain", arg));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("OMPI_COMM_WORLD_RANK", String.valueOf(rank));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private Path helloJar() throws IOException, URISyntaxException {
    Path classes = Path.of(RankArchiveTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar = dir.resolve("hello.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("dflowtest/jobs/HelloMain.class"));
      Files.copy(classes.resolve("dflowtest/jobs/HelloMain.class"), (OutputStream) out);
      out.closeEntry();
    }
    return jar;
  }
}
