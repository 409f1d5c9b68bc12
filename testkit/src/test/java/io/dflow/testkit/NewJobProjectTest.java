package io.dflow.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.driver.cli.DflowCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job of one's own from nothing: {@code dflow new-job} writes a project, a real Maven build of it
 * (against a local repository holding this build's dflow artifacts, everything else copied from
 * the machine's repository, nothing from the network) compiles it and passes its own test on
 * {@code local[2]}, a second build does the same offline, and {@code dflow run} runs its jar to
 * the word counts computed here.
 */
class NewJobProjectTest {
  private static final String VERSION = io.dflow.driver.newjob.JobProject.dflowVersion();
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @TempDir
  Path dir;

  @Test
  void aGeneratedProjectBuildsPassesItsTestAndRuns() throws Exception {
    Path project = dir.resolve("word-counter");
    Cli made = cli("new-job", project.toString(), "--package", "org.example.words");
    assertEquals(0, made.exit(), made.err());
    assertTrue(made.out().contains("wrote " + project.resolve("pom.xml")), made.out());
    assertTrue(Files.isRegularFile(project.resolve("src/test/java/org/example/words/WordCountJobTest.java")));

    Path repo = localRepository(dir.resolve("m2"));
    Path settings = Files.writeString(dir.resolve("settings.xml"), """
        <settings><mirrors><mirror><id>this-machine</id><mirrorOf>*</mirrorOf><url>%s</url></mirror></mirrors></settings>
        """.formatted(Path.of(System.getProperty("dflow.test.localRepository",
            Path.of(System.getProperty("user.home"), ".m2", "repository").toString())).toUri()));
    Path log = dir.resolve("build.log");
    Process build = new ProcessBuilder("mvn", "-B", "-nsu", "-ntp", "-s", settings.toString(), "-Dmaven.repo.local=" + repo,
        "package").directory(project.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(build.waitFor(10, TimeUnit.MINUTES), "the build ended");
    List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.contains("hecksum") && !l.contains("validate integrity")).toList();
    String built = String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    assertEquals(0, build.exitValue(), built);
    String report = Files.readString(project.resolve("target/surefire-reports/org.example.words.WordCountJobTest.txt"));
    assertTrue(report.contains("Tests run: 2, Failures: 0, Errors: 0, Skipped: 0"), report);
    // and again offline, from what the repository now holds: as a user's machine that built dflow would
    Process offline = new ProcessBuilder("mvn", "-B", "-o", "-q", "-s", settings.toString(),
        "-Dmaven.repo.local=" + repo, "package").directory(project.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertTrue(offline.waitFor(10, TimeUnit.MINUTES), "the offline build ended");
    assertEquals(0, offline.exitValue(), Files.readString(log));
    Path jar = project.resolve("target/word-counter-1.0.jar");
    assertTrue(Files.isRegularFile(jar), built);

    Path input = project.resolve("data/sample.txt");
    Path output = dir.resolve("out");
    Cli ran = cli("run", "--master", "local[2]", jar.toString(), input.toString(), output.toString());
    assertEquals(0, ran.exit(), ran.err());
    Map<String, Long> expected = new TreeMap<>();
    for (String word : Files.readString(input).toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
      if (!word.isEmpty()) {
        expected.merge(word, 1L, Long::sum);
      }
    }
    Map<String, Long> got = new TreeMap<>();
    try (Stream<Path> parts = Files.list(output)) {
      for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).toList()) {
        for (String line : Files.readAllLines(part)) {
          String[] kv = line.split("\t");
          got.put(kv[0], Long.parseLong(kv[1]));
        }
      }
    }
    assertEquals(expected, got);
  }

  @Test
  void aFolderInUseOrABadPackageIsRefused() throws IOException {
    Files.writeString(Files.createDirectories(dir.resolve("taken")).resolve("notes.txt"), "mine");
    Cli taken = cli("new-job", dir.resolve("taken").toString());
    assertEquals(1, taken.exit());
    assertTrue(taken.err().startsWith("error: " + dir.resolve("taken") + " exists already"), taken.err());
    Cli badPackage = cli("new-job", dir.resolve("fresh").toString(), "--package", "Org.Example-words");
    assertEquals(1, badPackage.exit());
    assertTrue(badPackage.err().startsWith("error: --package Org.Example-words: not a package name"), badPackage.err());
    assertTrue(Files.notExists(dir.resolve("fresh")), "nothing written");
  }

  private record Cli(int exit, String out, String err) {}

  private static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = DflowCli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * A local repository holding this build's dflow artifacts (as {@code mvn install} would put
   * them): the parent POM, every module's POM and jar, the test kit's from its classes.
   */
  private static Path localRepository(Path repo) throws IOException {
    install(repo, "dflow-parent", ROOT.resolve("pom.xml"), null);
    for (String module : List.of("api", "planner", "arrow-io", "hdfs", "formats", "executor", "streaming")) {
      install(repo, "dflow-" + module, ROOT.resolve(module).resolve("pom.xml"),
          ROOT.resolve(module).resolve("target").resolve("dflow-" + module + "-" + VERSION + ".jar"));
    }
    install(repo, "dflow-driver", ROOT.resolve("driver/pom.xml"),
        ROOT.resolve("driver/target/lib/dflow-driver-" + VERSION + ".jar"));
    install(repo, "dflow-testkit", ROOT.resolve("testkit/pom.xml"), jarOf(ROOT.resolve("testkit/target/classes"),
        repo.resolve("testkit.jar")));
    return repo;
  }

  private static void install(Path repo, String artifact, Path pom, Path jar) throws IOException {
    Path at = Files.createDirectories(repo.resolve("io/dflow").resolve(artifact).resolve(VERSION));
    Files.copy(pom, at.resolve(artifact + "-" + VERSION + ".pom"));
    if (jar != null) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(jar + " is missing: build the reactor with 'verify' (it packages each module)");
      }
      Files.copy(jar, at.resolve(artifact + "-" + VERSION + ".jar"));
    }
  }

  private static Path jarOf(Path classes, Path jar) throws IOException {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      List<Path> all = new ArrayList<>(files.filter(Files::isRegularFile).toList());
      for (Path file : all) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, (OutputStream) out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
