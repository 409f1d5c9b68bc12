package io.dflow.api.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Words split as a shell splits them: checked against {@code sh} itself printing its arguments. */
class CommandWordsTest {
  @Test
  void splitsLikeTheShell() throws Exception {
    for (String command : List.of(
        "python3 mapper.py",
        "  python3   -u  m.py  ",
        "grep -E 'a b|c'",
        "awk '{print $1 \"\\t\" 1}'",
        "printf \"%s\\n\" \"it's\" two\\ words",
        "echo \"a \\\"quoted\\\" \\\\ back\" 'single \"inside\"' x\\'y",
        "cmd ''  \"\" end",
        "tab\tseparated")) {
      assertEquals(shellWords(command), CommandWords.split(command), command);
    }
  }

  @Test
  void unterminatedQuotesAndEmptyCommandsFail() {
    IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
        () -> CommandWords.split("grep 'abc"));
    assertTrue(single.getMessage().contains("unterminated single quote at character 6"), single.getMessage());
    IllegalArgumentException dbl = assertThrows(IllegalArgumentException.class,
        () -> CommandWords.split("echo \"abc"));
    assertTrue(dbl.getMessage().contains("unterminated double quote"), dbl.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CommandWords.split("   "));
  }

  /** The words {@code sh} makes of {@code command}, each printed NUL-terminated. */
  private static List<String> shellWords(String command) throws Exception {
    Process words = new ProcessBuilder("sh", "-c", "set -- " + command + "; for w in \"$@\"; do printf '%s\\0' \"$w\"; done")
        .redirectErrorStream(true).start();
    String out = new String(words.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, words.waitFor(), out);
    return List.of(out.substring(0, out.length() - 1).split("\0", -1));
  }
}
