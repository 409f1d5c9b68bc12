package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}) for tests: the DOM of a page after its scripts
 * ran, and screenshots. A test that needs it fails, naming the package, when it is not installed.
 */
public final class HeadlessChromium {
  private HeadlessChromium() {}

  /** The browser's command, failing the test when there is none. */
  public static String command() {
    for (String name : List.of("chromium", "chromium-browser")) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name).toString();
        }
      }
    }
    return fail("headless Chromium is needed to check the HTML report: install the Debian package chromium"
        + " (apt-get install chromium; bin/test installs it when run as root)");
  }

  /** The DOM of {@code url} once loaded and its scripts ran, as Chromium serialises it. */
  public static String dumpDom(String url, Path scratch) throws IOException, InterruptedException {
    return run(scratch, "--dump-dom", url);
  }

  /** Writes a {@code width}x{@code height} PNG of {@code url} to {@code png}. */
  public static void screenshot(String url, Path png, int width, int height, Path scratch)
      throws IOException, InterruptedException {
    run(scratch, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
        "--hide-scrollbars", url);
    assertTrue(Files.size(png) > 0, "chromium wrote no screenshot to " + png);
  }

  private static String run(Path scratch, String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(scratch, "chromium-profile");
    List<String> cmd = new ArrayList<>(List.of(command(), "--headless", "--disable-gpu", "--no-sandbox",
        "--no-first-run", "--disable-extensions", "--user-data-dir=" + profile));
    cmd.addAll(List.of(args));
    Path out = scratch.resolve("chromium-" + System.nanoTime() + ".out");
    Path err = scratch.resolve("chromium-" + System.nanoTime() + ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      fail("chromium did not finish in 120 s: " + String.join(" ", cmd));
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err, StandardCharsets.UTF_8));
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
