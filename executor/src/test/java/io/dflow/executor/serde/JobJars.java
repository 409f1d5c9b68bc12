package io.dflow.executor.serde;

import io.dflow.api.Pair;
import io.dflow.executor.JobClassLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a real job jar at test time: compiles the given sources (against dflow's api) with the
 * JDK's compiler and packs the classes into a jar, so tests can load classes that are not on
 * the test class path, through a {@link JobClassLoader}.
 */
public final class JobJars {
  /** A job's value type, a serialisable lambda defined in a job class, and a class that counts its instances. */
  public static final Map<String, String> SAMPLE_JOB = Map.of(
      "jobpkg/Point.java",
      "package jobpkg;\n"
          + "public record Point(long x, long y) implements java.io.Serializable {}\n",
      "jobpkg/Functions.java",
      "package jobpkg;\n"
          + "import io.dflow.api.function.MapFunction;\n"
          + "public final class Functions {\n"
          + "  public static MapFunction<Object, Object> square() {\n"
          + "    return v -> new Point((Long) v, (Long) v * (Long) v);\n"
          + "  }\n"
          + "  public static MapFunction<Object, Object> tagger(String tag) {\n"
          + "    return v -> tag + \":\" + v;\n"
          + "  }\n"
          + "}\n",
      "jobpkg/Tripwire.java",
      "package jobpkg;\n"
          + "public final class Tripwire implements java.io.Serializable {\n"
          + "  public static final java.util.concurrent.atomic.AtomicInteger READ ="
          + " new java.util.concurrent.atomic.AtomicInteger();\n"
          + "  private void readObject(java.io.ObjectInputStream in) throws java.io.IOException,"
          + " ClassNotFoundException {\n"
          + "    READ.incrementAndGet();\n"
          + "    in.defaultReadObject();\n"
          + "  }\n"
          + "}\n");

  private JobJars() {}

  /** Compiles {@code sources} (relative path to text) under {@code work} and returns the jar. */
  public static Path build(Path work, Map<String, String> sources) throws IOException {
    Path src = Files.createDirectories(work.resolve("src"));
    Path classes = Files.createDirectories(work.resolve("classes"));
    List<String> args = new ArrayList<>(List.of("--release", "17", "-d", classes.toString(),
        "-classpath", apiClassPath()));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("tests need a JDK (javax.tools compiler), not a JRE");
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int rc = javac.run(null, errors, errors, args.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException("cannot compile the test job: " + errors);
    }
    Path jar = work.resolve("job.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.walk(classes)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, out); // leaves the jar stream open
        out.closeEntry();
      }
    }
    return jar;
  }

  /** A child-first job class loader over {@code jar}, with the test's loader as parent. */
  public static JobClassLoader loader(Path jar) throws IOException {
    return new JobClassLoader("test-job", jar.toUri().toURL(), JobJars.class.getClassLoader());
  }

  private static String apiClassPath() {
    try {
      return Path.of(Pair.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
