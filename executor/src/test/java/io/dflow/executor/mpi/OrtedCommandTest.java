package io.dflow.executor.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an executor accepts as an Open MPI daemon's command line: the words Open MPI 4.1's
 * {@code mpirun} handed its launch agent for a gang across hosts (copied from such a run), and
 * the ways a request could try to run anything else.
 */
class OrtedCommandTest {
  private static final String DRIVER = "10.215.167.1";
  /** As mpirun gives them to plm_rsh_agent after the host name (the first word has a leading space). */
  private static final List<String> MPIRUN_WORDS = List.of(" orted", "-mca", "orte_leave_session_attached", "\"1\"",
      "-mca", "ess", "\"env\"", "-mca", "ess_base_jobid", "\"1061486592\"", "-mca", "ess_base_vpid", "1",
      "-mca", "orte_node_regex", "\"vm,[2:10].215.167.3,[2:10].215.167.2@0(3)\"",
      "-mca", "orte_hnp_uri", "\"1061486592.0;tcp://10.215.167.1:56743\"",
      "--mca", "plm_rsh_agent", "\"/tmp/app/mpi/gang-0.0-0.agent\"", "--mca", "plm_rsh_no_tree_spawn", "\"1\"",
      "--mca", "btl", "\"self,vader,tcp\"", "--mca", "oob_tcp_if_include", "\"10.215.167.0/24\"",
      "-mca", "plm", "\"rsh\"", "-mca", "opal_signal", "\"\"", "-mca", "pmix", "\"^s1,s2,cray,isolated\"");

  @Test
  void acceptsMpirunsDaemonLineAndUnquotesItsValues() {
    List<String> argv = OrtedCommand.parse(MPIRUN_WORDS, DRIVER);
    assertEquals("orted", argv.get(0));
    assertEquals(1 + (MPIRUN_WORDS.size() - 1), argv.size(), "one argument per word, none split or joined");
    int uri = argv.indexOf("orte_hnp_uri");
    assertEquals("1061486592.0;tcp://10.215.167.1:56743", argv.get(uri + 1));
    assertEquals("vm,[2:10].215.167.3,[2:10].215.167.2@0(3)", argv.get(argv.indexOf("orte_node_regex") + 1));
    assertEquals("", argv.get(argv.indexOf("opal_signal") + 1), "an empty quoted value stays a word");
  }

  @Test
  void refusesADaemonThatWouldJoinAnMpirunElsewhere() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OrtedCommand.parse(MPIRUN_WORDS, "10.215.167.9"));
    assertTrue(e.getMessage().contains("not the driver's host 10.215.167.9"), e.getMessage());
    List<String> twoAddresses = with("\"1061486592.0;tcp://10.215.167.1,192.0.2.77:56743\"");
    e = assertThrows(IllegalArgumentException.class, () -> OrtedCommand.parse(twoAddresses, DRIVER));
    assertTrue(e.getMessage().contains("192.0.2.77"), e.getMessage());
    List<String> none = new ArrayList<>(MPIRUN_WORDS);
    int at = none.indexOf("orte_hnp_uri");
    none.subList(at - 1, at + 2).clear();
    e = assertThrows(IllegalArgumentException.class, () -> OrtedCommand.parse(none, DRIVER));
    assertTrue(e.getMessage().contains("no orte_hnp_uri"), e.getMessage());
  }

  @Test
  void refusesAnyOtherProgramAndShellSyntax() {
    for (String first : List.of("sh", "/tmp/x/orted", "PATH=/tmp:$PATH", "orted;", "`id`")) {
      List<String> words = new ArrayList<>(MPIRUN_WORDS);
      words.set(0, first);
      assertThrows(IllegalArgumentException.class, () -> OrtedCommand.parse(words, DRIVER), first);
    }
    for (String tail : List.of("; rm -rf /", "&& id", "| nc host 1", "> /etc/passwd", "\"$(id)\"", "\"`id`\"",
        "$HOME", "*", "'unclosed", "\"unclosed")) {
      List<String> words = new ArrayList<>(MPIRUN_WORDS);
      words.add(tail);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> OrtedCommand.parse(words, DRIVER), tail);
      assertTrue(!e.getMessage().isBlank(), tail);
    }
  }

  @Test
  void refusesSettingsThatRunProgramsOrReadFilesAndDetaching() {
    for (List<String> extra : List.of(List.of("-mca", "orte_fork_agent", "/bin/sh"),
        List.of("-mca", "orte_launch_agent", "/tmp/x"), List.of("--mca", "mca_base_param_files", "/tmp/p.conf"),
        List.of("--daemonize"), List.of("--tree-spawn"), List.of("-mca", "bad;name", "1"), List.of("-mca", "btl"))) {
      List<String> words = new ArrayList<>(MPIRUN_WORDS);
      words.addAll(extra);
      assertThrows(IllegalArgumentException.class, () -> OrtedCommand.parse(words, DRIVER), extra.toString());
    }
    List<String> treeSpawn = new ArrayList<>(MPIRUN_WORDS);
    treeSpawn.set(treeSpawn.indexOf("plm_rsh_no_tree_spawn") + 1, "0");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OrtedCommand.parse(treeSpawn, DRIVER));
    assertTrue(e.getMessage().contains("plm_rsh_agent"), e.getMessage());
  }

  private static List<String> with(String hnpUri) {
    List<String> words = new ArrayList<>(MPIRUN_WORDS);
    words.set(words.indexOf("orte_hnp_uri") + 1, hnpUri);
    return words;
  }
}
