package io.dflow.driver.shell;

import io.dflow.api.JobContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands a shell's live {@link JobContext} to its snippets: the shell's first snippet reads it from
 * here by the shell's id ({@code JobContext ctx = ShellBindings.context(id)}). Snippet classes
 * load through the driver's class loader, so they see this class's statics.
 */
public final class ShellBindings {
  private static final Map<String, JobContext> CONTEXTS = new ConcurrentHashMap<>();

  private ShellBindings() {}

  /** The context of shell {@code id}; for the shell's own startup snippet. */
  public static JobContext context(String id) {
    JobContext ctx = CONTEXTS.get(id);
    if (ctx == null) {
      throw new IllegalStateException("no shell " + id);
    }
    return ctx;
  }

  static void bind(String id, JobContext ctx) {
    CONTEXTS.put(id, ctx);
  }

  static void unbind(String id) {
    CONTEXTS.remove(id);
  }
}
