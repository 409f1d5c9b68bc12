package io.dflow.api.pipe;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A command to run as a child process, as the user wrote it and as words, with the variables
 * to add to its environment.
 *
 * @param role what it is for the job, for messages: {@code mapper}, {@code reducer}, {@code pipe}
 * @param display the command as the user typed it
 */
public record ChildCommand(String role, String display, List<String> words, Map<String, String> env)
    implements Serializable {
  public ChildCommand {
    words = List.copyOf(words);
    env = Map.copyOf(env);
    if (words.isEmpty()) {
      throw new IllegalArgumentException("a " + role + " command needs at least one word");
    }
  }

  /** {@code command} split like a shell splits words (see {@link CommandWords}). */
  public static ChildCommand parse(String role, String command, Map<String, String> env) {
    return new ChildCommand(role, command, CommandWords.split(command), env);
  }

  /** {@code mapper "python3 m.py"}: how messages name it. */
  public String describe() {
    return role + " \"" + display + "\"";
  }
}
