package io.dflow.driver.shell;

import java.util.ArrayList;
import java.util.List;
import jdk.jshell.SourceCodeAnalysis;
import org.jline.reader.Candidate;

/**
 * Tab completion from JShell's {@link SourceCodeAnalysis#completionSuggestions}, turned into
 * JLine candidates: JLine replaces the whole word under the cursor (split at white space), JShell
 * suggests what follows its anchor (after a dot, say), so each candidate is the word up to the
 * anchor plus JShell's continuation.
 */
final class ShellCompletion {
  private final SourceCodeAnalysis analysis;

  ShellCompletion(SourceCodeAnalysis analysis) {
    this.analysis = analysis;
  }

  /**
   * JLine candidates for the word that ends {@code wordCursor} characters before {@code cursor}
   * in {@code line}, which follows {@code pending} (the unfinished snippet's earlier lines).
   */
  List<Candidate> candidates(String pending, String line, int cursor, int wordCursor) {
    String text = pending + line;
    int at = pending.length() + cursor;
    int wordStart = at - wordCursor;
    int[] anchor = new int[1];
    List<Candidate> out = new ArrayList<>();
    for (SourceCodeAnalysis.Suggestion s : analysis.completionSuggestions(text, at, anchor)) {
      if (anchor[0] < wordStart) {
        continue; // JLine cannot replace text before the word
      }
      String value = text.substring(wordStart, anchor[0]) + s.continuation();
      boolean complete = !s.continuation().endsWith("(");
      out.add(new Candidate(value, s.continuation(), null, null, null, null, complete));
    }
    return out;
  }
}
