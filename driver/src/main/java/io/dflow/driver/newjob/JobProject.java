package io.dflow.driver.newjob;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes a small Maven project for a job of one's own ({@code dflow new-job}): a word-count
 * {@code DflowJob}, its test on a {@code local[2]} session of the test kit, a README and sample
 * input, from the templates beside this class. The project depends on the dflow version this
 * one is.
 */
public final class JobProject {
  /** The job class the templates name. */
  static final String CLASS_NAME = "WordCountJob";
  private static final Pattern PACKAGE = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");
  private static final Pattern ARTIFACT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private JobProject() {}

  /** dflow's version, as Maven wrote it into the driver's resources. */
  public static String dflowVersion() {
    try (InputStream in = JobProject.class.getResourceAsStream("/io/dflow/driver/dflow-version.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("dflow's version is missing from its resources", e);
    }
  }

  /**
   * Writes the project into {@code dir} (created; it must not hold anything yet).
   *
   * @param packageName the job's package, lower-case Java identifiers separated by dots
   * @param dflowCommand how the README calls dflow ({@code bin/dflow} with its path)
   * @return the files written, relative to {@code dir}
   * @throws IllegalArgumentException for a bad package or folder name, or a folder in use
   */
  public static List<Path> write(Path dir, String packageName, String dflowCommand) throws IOException {
    if (!PACKAGE.matcher(packageName).matches()) {
      throw new IllegalArgumentException("--package " + packageName
          + ": not a package name (lower-case Java identifiers separated by dots, like com.example.wordcount)");
    }
    Path name = dir.toAbsolutePath().normalize().getFileName();
    if (name == null || !ARTIFACT.matcher(name.toString()).matches()) {
      throw new IllegalArgumentException(dir + ": the folder's name becomes the Maven artifact id, so it must be "
          + "letters, digits, '.', '_' or '-'");
    }
    if (Files.exists(dir) && (!Files.isDirectory(dir) || !isEmpty(dir))) {
      throw new IllegalArgumentException(dir + " exists already and is not an empty folder; choose a new one");
    }
    String packagePath = packageName.replace('.', '/');
    Map<String, String> values = new LinkedHashMap<>();
    values.put("@@GROUP@@", packageName);
    values.put("@@ARTIFACT@@", name.toString());
    values.put("@@DFLOW_VERSION@@", dflowVersion());
    values.put("@@PACKAGE_PATH@@", packagePath);
    values.put("@@PACKAGE@@", packageName);
    values.put("@@CLASS@@", CLASS_NAME);
    values.put("@@DFLOW@@", dflowCommand);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("pom.xml.tmpl", "pom.xml");
    files.put("Job.java.tmpl", "src/main/java/" + packagePath + "/" + CLASS_NAME + ".java");
    files.put("JobTest.java.tmpl", "src/test/java/" + packagePath + "/" + CLASS_NAME + "Test.java");
    files.put("README.md.tmpl", "README.md");
    files.put("sample.txt.tmpl", "data/sample.txt");
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path target = dir.resolve(f.getValue());
      Files.createDirectories(target.getParent());
      Files.writeString(target, fill(template(f.getKey()), values), StandardCharsets.UTF_8);
    }
    return files.values().stream().map(Path::of).toList();
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static String template(String name) {
    try (InputStream in = JobProject.class.getResourceAsStream("/io/dflow/driver/newjob/" + name)) {
      if (in == null) {
        throw new IllegalStateException("template " + name + " is missing from dflow's resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String fill(String template, Map<String, String> values) {
    String out = template;
    for (Map.Entry<String, String> v : values.entrySet()) {
      out = out.replace(v.getKey(), v.getValue());
    }
    return out;
  }
}
