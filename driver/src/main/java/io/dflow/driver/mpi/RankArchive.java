package io.dflow.driver.mpi;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class-data archive for rank JVMs ({@code dflow.mpi.classArchive}): the classes a rank loads
 * (Netty, the command line, the task machinery, the JDK's own), mapped from one file instead of
 * loaded and verified again in every rank. It is written once per installation: the first gang
 * that finds none has its rank 0 write it as it exits ({@code -XX:ArchiveClassesAtExit}), and
 * once that gang succeeded the file is moved into place (a gang with ranks on other hosts only
 * maps an archive, never writes one), named by a hash of the JVM and the
 * rank's class path (each jar's path, size and time), so another JDK or a rebuilt jar makes a new
 * one. Archives hold classes from jars only: with a folder of classes on the class path before
 * a jar (a build tree), ranks run without one.
 *
 * <p>Threading: any thread; one gang at a time writes the archive.
 */
final class RankArchive {
  private static final Logger LOG = LoggerFactory.getLogger(RankArchive.class);
  static final String OFF = "off";
  static final String AUTO = "auto";
  private static final List<String> QUIET = List.of("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  private final Path folder;
  private final AtomicBoolean writing = new AtomicBoolean();

  /** How one gang's ranks start: their command, and the file its rank 0 writes (null: none). */
  record Use(List<String> command, Path writes) {}

  /**
   * @param setting {@code auto} (the folder of the driver's own archive when it has one, else the
   *     temporary folder), {@code off}, or a folder
   */
  RankArchive(String setting) {
    String s = setting == null ? AUTO : setting.strip();
    if (s.equals(OFF)) {
      folder = null;
    } else if (s.isEmpty() || s.equals(AUTO)) {
      String driverArchive = System.getProperty(io.dflow.driver.backend.LocalClusterBackend.CDS_ARCHIVE_PROPERTY);
      folder = driverArchive != null ? Path.of(driverArchive).toAbsolutePath().getParent()
          : Path.of(System.getProperty("java.io.tmpdir"), "dflow-cds-" + System.getProperty("user.name"));
    } else {
      folder = Path.of(s);
    }
  }

  /**
   * The rank command for a gang: {@code java} (the rank JVM's command, {@code java} first and
   * {@code -cp} in it) mapping the archive, or writing it from rank 0 (the gang's ranks then
   * map no archive at all: a JVM that writes one may map only the JDK's), or as it was.
   *
   * @param mayWrite whether rank 0 may write the archive: only where it runs on the driver's
   *     machine, which keeps it (ranks on other hosts map it where their host has it at the same
   *     path, and run without it elsewhere)
   */
  Use use(List<String> java, String gang, boolean mayWrite) {
    Path archive = folder == null ? null : archiveFor(java);
    if (archive == null) {
      return new Use(java, null);
    }
    List<String> options = withoutArchive(java);
    try {
      if (Files.isRegularFile(archive)) {
        if (Files.size(archive) == 0) {
          return new Use(java, null); // tried, and the JVM wrote none: not again for these jars
        }
        List<String> cmd = new ArrayList<>(options.subList(0, 1));
        cmd.add("-XX:SharedArchiveFile=" + archive);
        cmd.addAll(QUIET);
        cmd.addAll(options.subList(1, options.size()));
        return new Use(cmd, null);
      }
    } catch (IOException e) {
      return new Use(java, null);
    }
    if (!mayWrite || !writing.compareAndSet(false, true)) {
      return new Use(java, null);
    }
    Path tmp = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + "." + gang);
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      LOG.warn("no class-data archive for MPI ranks: cannot make {}: {}", folder, e.getMessage());
      writing.set(false);
      return new Use(java, null);
    }
    // rank 0 alone writes it (all ranks get one command line from mpirun)
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", "j=$1; shift; if [ \"$OMPI_COMM_WORLD_RANK\" = 0 ]; then"
        + " exec \"$j\" \"-XX:ArchiveClassesAtExit=$0\" -Xlog:cds=off -Xlog:cds+dynamic=off \"$@\"; fi; exec \"$j\" \"$@\"",
        tmp.toString()));
    cmd.addAll(options);
    return new Use(cmd, tmp);
  }

  /** The gang of {@code use} ended: a written archive is moved into place if the gang succeeded. */
  void finished(Use use, boolean succeeded) {
    if (use == null || use.writes() == null) {
      return;
    }
    Path tmp = use.writes();
    Path archive = tmp.resolveSibling(tmp.getFileName().toString().replaceFirst("\\.jsa\\..*", ".jsa"));
    try {
      if (succeeded) {
        if (Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
          Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          LOG.info("MPI ranks map the class-data archive {} from now on", archive);
        } else {
          Files.write(archive, new byte[0]); // the JVM wrote none: ranks run without one
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot keep the ranks' class-data archive {}: {}", archive, e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException e) {
        // a temporary file left in the archive folder
      }
      writing.set(false);
    }
  }

  /** The archive's file for this JVM and class path, or null when the class path has classes in folders. */
  private Path archiveFor(List<String> java) {
    int cp = java.indexOf("-cp");
    if (cp < 0 || cp + 1 >= java.size()) {
      return null;
    }
    String[] entries = java.get(cp + 1).split(File.pathSeparator);
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    sha.update((java.get(0) + "\n" + System.getProperty("java.vm.version") + "\n").getBytes(StandardCharsets.UTF_8));
    int lastJar = -1;
    for (int i = 0; i < entries.length; i++) {
      if (entries[i].endsWith(".jar")) {
        lastJar = i;
      }
    }
    for (int i = 0; i < entries.length; i++) {
      Path entry = Path.of(entries[i]);
      if (Files.isDirectory(entry) && i < lastJar) {
        return null;
      }
      try {
        long size = Files.isRegularFile(entry) ? Files.size(entry) : 0;
        long time = Files.exists(entry) ? Files.getLastModifiedTime(entry).toMillis() : 0;
        sha.update((entries[i] + "|" + size + "|" + time + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        return null;
      }
    }
    return folder.resolve("rank-" + HexFormat.of().formatHex(sha.digest(), 0, 8) + ".jsa");
  }

  /** {@code java} without the driver's archive options ({@code JvmCommand}'s): a JVM maps one dynamic archive. */
  private static List<String> withoutArchive(List<String> java) {
    return java.stream().filter(o -> !o.startsWith("-XX:SharedArchiveFile=") && !QUIET.contains(o)).toList();
  }
}
