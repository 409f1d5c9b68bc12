package io.dflow.driver.shell;

import io.dflow.driver.DflowConf;
import io.dflow.driver.JobFailedException;
import io.dflow.driver.JobJar;
import io.dflow.driver.JobLauncher;
import io.dflow.driver.JobSetupException;
import io.dflow.driver.Session;
import io.dflow.executor.JarCache;
import io.dflow.executor.JobClassLoader;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.TypeDeclSnippet;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * A shell's live state: one dflow application (its executors kept for the whole session, so
 * cached datasets stay cached between commands), a JShell whose snippets run in this JVM
 * ({@link InProcessEngine}) with the dflow API imported and {@code ctx} defined, and the classes
 * its snippets make, served to executors ({@link SnippetClasses}).
 *
 * <p>Threading: one thread (the shell's) calls {@link #eval}; {@link #interrupt} may come from a
 * signal handler's thread while it runs.
 */
public final class ShellSession implements AutoCloseable {
  /** What every shell imports. */
  static final List<String> IMPORTS = List.of("io.dflow.api.*", "io.dflow.api.function.*", "io.dflow.api.mpi.*",
      "java.util.*", "java.util.function.*", "java.util.stream.*");
  /** How long a cancelled snippet gets to end by itself before its thread is stopped. */
  private static final long STOP_AFTER_MILLIS = 5_000;

  private final String id;
  private final String master;
  private final JobJar code;
  private final SnippetClasses classes;
  private final Session session;
  private final JShell jshell;
  private volatile CountDownLatch running;
  /** Set when the running snippet's thread was stopped after a Ctrl-C. */
  private volatile boolean stopped;
  private boolean closed;

  private ShellSession(String id, String master, JobJar code, SnippetClasses classes, Session session,
      JShell jshell) {
    this.id = id;
    this.master = master;
    this.code = code;
    this.classes = classes;
    this.session = session;
    this.jshell = jshell;
  }

  /**
   * Starts the application and the JShell.
   *
   * @param overrides {@code --master} and {@code --conf} settings over the defaults
   * @param jars the {@code --jars}: on the snippets' class path and shipped to executors
   * @param err where progress goes
   * @throws JobSetupException for a bad jar or setting, with a message saying which
   */
  public static ShellSession open(Map<String, String> overrides, List<Path> jars, PrintStream err)
      throws JobSetupException, IOException {
    Map<String, String> conf;
    try {
      conf = DflowConf.load(JobLauncher.dflowHome(), overrides);
    } catch (IllegalArgumentException e) {
      throw new JobSetupException(e.getMessage());
    }
    Map<String, Path> bySha = new LinkedHashMap<>();
    for (Path jar : jars) {
      try (JobJar checked = JobJar.open(jar.toAbsolutePath())) {
        bySha.put(checked.sha256(), checked.path());
      }
    }
    ClassLoader host = ShellSession.class.getClassLoader();
    JobClassLoader jarLoader = bySha.isEmpty() ? null : new JobClassLoader("shell-jars",
        urls(bySha.values()), host);
    SnippetClasses classes = new SnippetClasses(jarLoader != null ? jarLoader : host);
    JobJar code = JobJar.forShell(JarCache.shellCodeId(List.copyOf(bySha.keySet())), classes.loader(), bySha,
        classes, jarLoader);
    JShell jshell = JShell.builder().executionEngine(new InProcessEngine(classes), Map.of()).build();
    // the application starts (executors launch and register) while JShell warms up on the imports
    CompletableFuture<Session> starting = new CompletableFuture<>();
    Thread starter = new Thread(() -> {
      try {
        starting.complete(Session.start("dflow shell", conf, code, err));
      } catch (Throwable e) {
        starting.completeExceptionally(e);
      }
    }, "dflow-shell-start");
    starter.setContextClassLoader(classes.loader());
    starter.start();
    Session session;
    try {
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        jshell.addToClasspath(entry);
      }
      for (Path jar : bySha.values()) {
        jshell.addToClasspath(jar.toString());
      }
      for (String i : IMPORTS) {
        mustEval(jshell, "import " + i + ";");
      }
      session = started(starting);
    } catch (IOException | JobSetupException | RuntimeException e) {
      jshell.close();
      starting.thenAccept(Session::close);
      code.close();
      throw e;
    }
    String id = HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    ShellBindings.bind(id, session.newContext());
    ShellSession shell = new ShellSession(id, conf.get(DflowConf.MASTER), code, classes, session, jshell);
    try {
      shell.mustEval("JobContext ctx = " + ShellBindings.class.getName() + ".context(\"" + id + "\");");
    } catch (RuntimeException e) {
      shell.close();
      throw e;
    }
    return shell;
  }

  /** The started application, or why it did not start. */
  private static Session started(CompletableFuture<Session> starting) throws IOException, JobSetupException {
    try {
      return starting.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException bad) {
        throw new JobSetupException(bad.getMessage());
      } else if (cause instanceof IOException io) {
        throw io;
      } else if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException("the shell's application did not start: " + cause, cause);
    }
  }

  /** Evaluates a startup snippet that needs no application (an import). */
  private static void mustEval(JShell jshell, String source) {
    for (SnippetEvent e : jshell.eval(source)) {
      if (e.status() == Snippet.Status.REJECTED || e.exception() != null) {
        throw new IllegalStateException("the shell's startup snippet " + source + " failed: "
            + jshell.diagnostics(e.snippet()).map(d -> d.getMessage(Locale.ROOT)).collect(Collectors.joining("; ")));
      }
    }
  }

  private static URL[] urls(Iterable<Path> jars) throws IOException {
    List<URL> out = new ArrayList<>();
    for (Path jar : jars) {
      out.add(jar.toUri().toURL());
    }
    return out.toArray(URL[]::new);
  }

  private void mustEval(String source) {
    SnippetOutcome outcome = eval(source);
    if (outcome.failed()) {
      throw new IllegalStateException("the shell's startup snippet " + source + " failed: " + outcome.error());
    }
  }

  /** For splitting input into snippets and completing it. */
  SourceCodeAnalysis analysis() {
    return jshell.sourceCodeAnalysis();
  }

  /** Evaluates one complete snippet (as {@link SourceCodeAnalysis#analyzeCompletion} cut it). */
  SnippetOutcome eval(String source) {
    CountDownLatch done = new CountDownLatch(1);
    stopped = false;
    running = done;
    List<SnippetEvent> events;
    try {
      events = jshell.eval(source);
    } finally {
      running = null;
      done.countDown();
    }
    List<String> shown = new ArrayList<>();
    for (SnippetEvent e : events) {
      if (e.causeSnippet() != null) {
        continue; // a dependent snippet updated in consequence: JShell's own business
      }
      Snippet s = e.snippet();
      if (e.status() == Snippet.Status.REJECTED) {
        return new SnippetOutcome(shown, compileError(s));
      }
      if (e.exception() != null) {
        return new SnippetOutcome(shown, describe(e.exception()));
      }
      String line = feedback(e);
      if (line != null) {
        shown.add(line);
      }
    }
    if (stopped) {
      return new SnippetOutcome(shown, "stopped: the snippet was still running " + STOP_AFTER_MILLIS / 1000
          + " s after Ctrl-C");
    }
    return new SnippetOutcome(shown, null);
  }

  private String feedback(SnippetEvent e) {
    Snippet s = e.snippet();
    String verb = e.previousStatus() == Snippet.Status.VALID ? "replaced" : "created";
    String unresolved = "";
    if (e.status() == Snippet.Status.RECOVERABLE_DEFINED || e.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
      unresolved = ", which cannot be used until " + jshell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) s)
          .collect(Collectors.joining(", ")) + " is declared";
    }
    if (s instanceof VarSnippet v && e.value() != null) {
      return v.name() + (isIdentity(e.value()) ? " : " + v.typeName() : " ==> " + e.value());
    } else if (s instanceof jdk.jshell.ExpressionSnippet x && e.value() != null) {
      return x.name() + (isIdentity(e.value()) ? " : " + x.typeName() : " ==> " + e.value());
    } else if (s instanceof MethodSnippet m) {
      return verb + " method " + m.name() + "(" + m.parameterTypes() + ")" + unresolved;
    } else if (s instanceof TypeDeclSnippet t) {
      return verb + " " + t.subKind().name().replace("_SUBKIND", "").toLowerCase(Locale.ROOT).replace('_', ' ')
          .replace(" type", "") + " " + t.name() + unresolved;
    }
    return null;
  }

  /** Whether {@code value} is only {@code Object.toString}'s class and hash (a dataset's, say): its type says more. */
  private static boolean isIdentity(String value) {
    return value.matches("[\\w.$]+@[0-9a-f]+");
  }

  private String compileError(Snippet s) {
    List<Diag> diags = jshell.diagnostics(s).filter(Diag::isError).toList();
    if (diags.isEmpty()) {
      return "the snippet was rejected: " + s.source().strip();
    }
    StringBuilder out = new StringBuilder();
    for (Diag d : diags) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(SourcePlace.describe(s.source(), d.getStartPosition(), d.getMessage(Locale.ROOT)));
    }
    return out.toString();
  }

  private String describe(JShellException ex) {
    if (ex instanceof UnresolvedReferenceException u) {
      return "cannot run " + u.getSnippet().source().strip() + ": it uses "
          + jshell.unresolvedDependencies(u.getSnippet()).collect(Collectors.joining(", ")) + ", not declared yet";
    }
    String className = ex instanceof EvalException ev ? ev.getExceptionClassName() : ex.getClass().getName();
    String message = ex.getMessage() == null ? "" : ex.getMessage();
    if (className.equals(JobFailedException.class.getName())) {
      return "job failed: " + message;
    }
    String where = "";
    for (StackTraceElement frame : ex.getStackTrace()) {
      if (frame.getClassName().startsWith("REPL.")) {
        where = " (at snippet " + frame.getFileName() + ":" + frame.getLineNumber() + ")";
        break;
      }
    }
    return className + (message.isEmpty() ? "" : ": " + message) + where;
  }

  /**
   * Cancels what the running snippet does: its jobs fail (their tasks killed), and if it has not
   * ended {@value #STOP_AFTER_MILLIS} ms later (a loop in the driver, say), its thread is stopped.
   * Returns false when no snippet runs.
   */
  boolean interrupt() {
    CountDownLatch done = running;
    if (done == null) {
      return false;
    }
    session.cancel("cancelled at the shell's prompt (Ctrl-C)");
    Thread stopper = new Thread(() -> {
      try {
        if (!done.await(STOP_AFTER_MILLIS, TimeUnit.MILLISECONDS)) {
          stopped = true;
          jshell.stop();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "dflow-shell-stop");
    stopper.setDaemon(true);
    stopper.start();
    return true;
  }

  /** The variables, methods, types and imports declared so far, for {@code :vars} and the like. */
  List<String> declared(String what) {
    return switch (what) {
      case "vars" -> jshell.variables().map(v -> v.typeName() + " " + v.name() + " = " + jshell.varValue(v)).toList();
      case "methods" -> jshell.methods().map(m -> m.name() + "(" + m.parameterTypes() + ")" + m.signature()
          .substring(m.signature().indexOf(')') + 1)).toList();
      case "types" -> jshell.types().map(t -> t.name()).toList();
      case "imports" -> jshell.imports().map(i -> "import " + (i.isStatic() ? "static " : "") + i.fullname()).toList();
      default -> throw new IllegalArgumentException(what);
    };
  }

  /** One line about the application: master, id, jobs run, snippet classes served. */
  String describeSession() {
    return "application " + session.appId() + " on " + master + ": " + session.jobsRun() + " jobs run, "
        + session.stagesRun() + " stages, " + session.tasksRun() + " tasks" + session.executorLosses() + "; "
        + classes.size() + " snippet classes";
  }

  /** The driver's class loader of snippet classes (and the shell's jars). */
  ClassLoader loader() {
    return classes.loader();
  }

  /** {@link #close}, once, reporting a failure rather than throwing it. */
  void closeQuietly() {
    try {
      close();
    } catch (IOException | RuntimeException e) {
      System.err.println("dflow shell: closing the application failed: " + e);
    }
  }

  /** Ends the JShell and the application (its executors stop); a second call does nothing. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      jshell.close();
    } finally {
      ShellBindings.unbind(id);
      session.finishEventLog(true, null);
      session.close();
      code.close();
    }
  }
}
