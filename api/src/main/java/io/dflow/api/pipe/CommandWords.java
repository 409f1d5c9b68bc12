package io.dflow.api.pipe;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as a POSIX shell would, without running a shell: words are
 * separated by blanks; single quotes keep everything up to the next single quote; double quotes
 * keep blanks and single quotes, and a backslash in them escapes {@code " \ $ `}; outside
 * quotes a backslash escapes any character. No variables, globs or redirections are expanded.
 */
public final class CommandWords {
  private CommandWords() {}

  /** The words of {@code command}; fails on an unterminated quote or a command with no word. */
  public static List<String> split(String command) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    int n = command.length();
    while (i < n) {
      char c = command.charAt(i);
      if (c == ' ' || c == '\t' || c == '\n') {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
        continue;
      }
      inWord = true;
      if (c == '\'') {
        int close = command.indexOf('\'', i + 1);
        if (close < 0) {
          throw unterminated(command, "single", i);
        }
        word.append(command, i + 1, close);
        i = close + 1;
      } else if (c == '"') {
        i = doubleQuoted(command, i + 1, word);
      } else if (c == '\\' && i + 1 < n) {
        word.append(command.charAt(i + 1));
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("empty command: '" + command + "'");
    }
    return words;
  }

  /** Appends the inside of a double-quoted part starting at {@code from}; returns the index after its closing quote. */
  private static int doubleQuoted(String command, int from, StringBuilder word) {
    int i = from;
    while (i < command.length()) {
      char c = command.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\' && i + 1 < command.length() && "\"\\$`".indexOf(command.charAt(i + 1)) >= 0) {
        word.append(command.charAt(i + 1));
        i += 2;
      } else {
        word.append(c);
        i++;
      }
    }
    throw unterminated(command, "double", from - 1);
  }

  private static IllegalArgumentException unterminated(String command, String kind, int at) {
    return new IllegalArgumentException("unterminated " + kind + " quote at character " + (at + 1)
        + " of command: " + command);
  }
}
