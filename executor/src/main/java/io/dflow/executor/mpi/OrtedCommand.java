package io.dflow.executor.mpi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checked command line of an Open MPI daemon that {@code mpirun}'s launch agent asks an
 * executor to start: what an executor runs for its driver, and nothing else. {@code mpirun} hands
 * its agent the words a remote shell would run ({@code orted -mca ess "env" -mca orte_hnp_uri
 * "1234.0;tcp://10.0.0.1:4567" …}); they are split here as a shell splits quoted words, but never
 * given to a shell, and accepted only when:
 *
 * <ul>
 *   <li>the program is {@code orted}, found on the executor's {@code PATH} (never a path the request names);
 *   <li>every other word is part of an Open MPI setting ({@code -mca} or {@code --mca}, a name, a
 *       value), and no word holds an unquoted shell operator, substitution or glob;
 *   <li>no setting names a program or a settings file for the daemon to run or read ({@code *_agent},
 *       {@code mca_base_param_files}, …), except {@code plm_rsh_agent} with tree spawn off (the
 *       daemon then never runs it);
 *   <li>the daemon is not told to daemonize (it would escape the executor, which stops it when the
 *       gang ends);
 *   <li>every address of the {@code mpirun} it joins ({@code orte_hnp_uri}) is one of the
 *       driver's: a daemon so started only ever takes work from an {@code mpirun} beside the driver.
 * </ul>
 */
public final class OrtedCommand {
  private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9_]+");
  private static final Set<String> FILE_SETTINGS = Set.of("mca_base_param_files", "mca_base_envar_file_prefix",
      "mca_base_param_file_prefix", "mca_base_param_file_path", "mca_base_param_file_path_force");
  /** Characters a shell would act on when unquoted. */
  private static final String SHELL_OPERATORS = ";|&<>()$`*?[]{}~#!\n\r";
  private static final Pattern HNP_ADDRESS = Pattern.compile("tcp6?://\\[?([^\\]]+?)\\]?:\\d+");

  private OrtedCommand() {}

  /**
   * The program and arguments to start for {@code words}.
   *
   * @param driverHost the host this executor reached its driver at (a name or an address)
   * @throws IllegalArgumentException saying which word or setting is refused, and why
   */
  public static List<String> parse(List<String> words, String driverHost) {
    List<String> argv = split(String.join(" ", words));
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("an empty command");
    }
    String program = argv.get(0);
    if (!program.equals("orted")) {
      throw new IllegalArgumentException("the program is " + program + ", not Open MPI's orted (found on the"
          + " executor's PATH; mpirun must not be given --prefix)");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    for (int i = 1; i < argv.size(); i++) {
      String word = argv.get(i);
      if (word.equals("--daemonize") || word.equals("-daemonize")) {
        throw new IllegalArgumentException("the daemon would detach (" + word + "); mpirun must be run with"
            + " --leave-session-attached");
      }
      if (!word.equals("-mca") && !word.equals("--mca")) {
        throw new IllegalArgumentException("an argument that is not an Open MPI setting: " + word);
      }
      if (i + 2 >= argv.size()) {
        throw new IllegalArgumentException(word + " at the end, with no name and value");
      }
      String name = argv.get(i + 1);
      if (!SETTING_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("a setting with a bad name: " + name);
      }
      settings.put(name, argv.get(i + 2));
      i += 2;
    }
    for (String name : settings.keySet()) {
      if (FILE_SETTINGS.contains(name)) {
        throw new IllegalArgumentException("setting " + name + " would make the daemon read settings from files");
      }
      if (name.endsWith("_agent") && !(name.equals("plm_rsh_agent") && isTrue(settings.get("plm_rsh_no_tree_spawn")))) {
        throw new IllegalArgumentException("setting " + name + " names a program the daemon would run");
      }
    }
    checkHnp(settings.get("orte_hnp_uri"), driverHost);
    return argv;
  }

  private static boolean isTrue(String value) {
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }

  /** Every address of the mpirun the daemon would join must be the driver's. */
  private static void checkHnp(String uri, String driverHost) {
    if (uri == null) {
      throw new IllegalArgumentException("no orte_hnp_uri: which mpirun the daemon joins is not said");
    }
    Set<InetAddress> driver;
    try {
      driver = new HashSet<>(List.of(InetAddress.getAllByName(driverHost)));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("the driver's host " + driverHost + " does not resolve", e);
    }
    int found = 0;
    for (String part : uri.split(";")) {
      var m = HNP_ADDRESS.matcher(part);
      if (!m.matches()) {
        continue; // the job id, first
      }
      for (String address : m.group(1).split(",")) {
        found++;
        if (!driver.contains(literal(address, uri))) {
          throw new IllegalArgumentException("orte_hnp_uri names " + address + ", which is not the driver's host "
              + driverHost + " (" + uri + ")");
        }
      }
    }
    if (found == 0) {
      throw new IllegalArgumentException("orte_hnp_uri names no TCP address: " + uri);
    }
  }

  private static InetAddress literal(String address, String uri) {
    if (!address.matches("[0-9.]+|[0-9A-Fa-f:.]+")) {
      throw new IllegalArgumentException("orte_hnp_uri names " + address + ", not an address (" + uri + ")");
    }
    try {
      return InetAddress.getByName(address); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("orte_hnp_uri names a bad address " + address, e);
    }
  }

  /**
   * Splits {@code line} into words as a POSIX shell would split quoted words, refusing what a
   * shell would do more with: operators, substitutions, globs, comments.
   */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ' ' || c == '\t') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
        continue;
      }
      if (word == null) {
        word = new StringBuilder();
      }
      if (c == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("an unclosed ' in: " + line);
        }
        word.append(line, i + 1, end);
        i = end;
      } else if (c == '"') {
        i = doubleQuoted(line, i + 1, word);
      } else if (c == '\\') {
        if (i + 1 >= line.length()) {
          throw new IllegalArgumentException("a \\ at the end of: " + line);
        }
        word.append(line.charAt(++i));
      } else if (SHELL_OPERATORS.indexOf(c) >= 0) {
        throw new IllegalArgumentException("an unquoted " + c + " (the command must be plain words): " + line);
      } else {
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  /** Appends the double-quoted text starting at {@code from}; returns the index of the closing quote. */
  private static int doubleQuoted(String line, int from, StringBuilder word) {
    for (int i = from; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        return i;
      }
      if (c == '$' || c == '`') {
        throw new IllegalArgumentException("a substitution (" + c + ") in quotes: " + line);
      }
      if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
        c = line.charAt(++i);
      }
      word.append(c);
    }
    throw new IllegalArgumentException("an unclosed \" in: " + line);
  }
}
