package io.dflow.driver;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Builds job jars for tests from compiled test classes, and finds the examples jar. */
final class TestJars {
  private TestJars() {}

  /** A jar of every class of package {@code dflowtest.jobs}, written under {@code dir}. */
  static Path testJobs(Path dir) throws IOException {
    Path classes;
    try {
      classes = Path.of(TestJars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
    Path jar = dir.resolve("test-jobs.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes.resolve("dflowtest"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, (OutputStream) out);
        out.closeEntry();
      }
    }
    return jar;
  }

  /** {@code examples/target/dflow-examples.jar}, built by the reactor before this module. */
  static Path examples() {
    Path jar = Path.of("..", "examples", "target", "dflow-examples.jar").toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("examples jar missing at " + jar + ": run the build from the project root");
    }
    return jar;
  }

  /** The class path for local-cluster executor JVMs: this test JVM's, without test classes. */
  static String executorClasspath() {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return String.join(java.io.File.pathSeparator, Stream.of(cp.split(java.io.File.pathSeparator))
        .filter(entry -> !entry.endsWith("test-classes"))
        .toList());
  }

  static List<String> confArgs(String... pairs) {
    return Stream.of(pairs).flatMap(p -> Stream.of("--conf", p)).toList();
  }
}
