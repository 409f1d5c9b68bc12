package io.dflow.driver;

import io.dflow.api.DflowJob;
import io.dflow.api.JobContext;
import io.dflow.api.UserCodeException;
import io.dflow.driver.backend.Backends;
import io.dflow.driver.report.Warning;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one job jar from start to finish and turns every outcome into an exit code and one
 * clear first line on stderr. Exit codes: 0 success, 1 the job failed or could not start.
 */
public final class JobLauncher {
  /** Set by {@code bin/dflow} to whether the process's stderr is a terminal. */
  static final String STDERR_TERMINAL_PROPERTY = "dflow.stderr.terminal";

  private JobLauncher() {}

  /** Runs {@code request}; returns the exit code. */
  public static int run(JobRequest request, PrintStream err) {
    return launch(request, null, err);
  }

  /** Prints the plan of {@code request}'s first action to {@code out} instead of running it. */
  public static int explain(JobRequest request, PrintStream out, PrintStream err) {
    return launch(request, out, err);
  }

  /**
   * Runs {@code job}, one of dflow's own classes (nothing to ship), with the configuration
   * overrides {@code conf}; returns the exit code.
   */
  public static int runBuiltIn(DflowJob job, Map<String, String> conf, PrintStream err) {
    return runBuiltIn(job, null, conf, err);
  }

  /**
   * Runs {@code job}, one of dflow's own classes, over the user classes of {@code libJar}
   * (shipped to executors as a job jar is, and the job's class loader), or of none when null.
   */
  public static int runBuiltIn(DflowJob job, java.nio.file.Path libJar, Map<String, String> conf, PrintStream err) {
    return launch(libJar == null ? JobJar::builtIn : () -> JobJar.open(libJar), jar -> job, new String[0], conf, null,
        err);
  }

  /** Opens the jar a job comes from. */
  private interface JarOpener {
    JobJar open() throws JobSetupException;
  }

  /** Makes the job from its jar. */
  private interface JobMaker {
    DflowJob make(JobJar jar) throws JobSetupException;
  }

  private static int launch(JobRequest request, PrintStream explainTo, PrintStream err) {
    return launch(() -> JobJar.open(request.jar()), jar -> jar.newJob(request.className()), request.args(),
        request.conf(), explainTo, err);
  }

  /** With a non-null {@code explainTo}, explains instead of running. */
  private static int launch(JarOpener opener, JobMaker maker, String[] args, Map<String, String> overrides,
      PrintStream explainTo, PrintStream err) {
    long start = System.nanoTime();
    ClassLoader callerLoader = Thread.currentThread().getContextClassLoader();
    CountDownLatch cleanedUp = new CountDownLatch(1); // a shutdown hook waits for it: see Cancellation
    try {
      Map<String, String> conf = DflowConf.load(dflowHome(), overrides);
      Master master = Master.parse(conf.get(DflowConf.MASTER), conf);
      try (JobJar jar = opener.open()) {
        DflowJob job = maker.make(jar);
        conf.putIfAbsent(DflowConf.APP_NAME, job.getClass().getName());
        Thread.currentThread().setContextClassLoader(jar.loader());
        if (explainTo != null) {
          return explain(job, args, conf, master, explainTo);
        }
        String appId = AppIds.next();
        Path appDir = Path.of(conf.get(DflowConf.LOCAL_DIR)).resolve(appId);
        ProgressReporter progress = new ProgressReporter(err, stderrIsTerminal());
        try (Session session = new Session(appId, job.getClass().getName(), conf, master,
            Backends.create(master, conf, jar.loader(), appDir, DflowConf.executorMemory(conf), jar.path()), jar,
            progress);
            Cancellation cancellation = Cancellation.onStop(session, appId, err, cleanedUp)) {
          try {
            job.run(session.newContext(), args);
          } catch (Exception | LinkageError e) {
            session.finishEventLog(false, String.valueOf(e.getMessage()));
            throw e;
          }
          Path log = session.finishEventLog(true, null);
          for (Warning w : session.warnings()) {
            err.println(w.line());
          }
          if (log != null) {
            err.println("event log: " + log);
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          err.printf(Locale.ROOT, "application %s succeeded in %.2f s (%s, %s, %s%s)%n", appId,
              seconds, plural(session.jobsRun(), "job"), plural(session.stagesRun(), "stage"),
              plural(session.tasksRun(), "task"), session.executorLosses());
          return 0;
        }
      }
    } catch (JobSetupException | JobFailedException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (Exception | LinkageError e) {
      Throwable cause = e instanceof UserCodeException && e.getCause() != null ? e.getCause() : e;
      err.println("error: the job's driver code threw " + cause);
      cause.printStackTrace(err);
      return 1;
    } finally {
      Thread.currentThread().setContextClassLoader(callerLoader);
      cleanedUp.countDown();
    }
  }

  /**
   * What a SIGINT, a SIGTERM or a {@code System.exit} does to a running application: a shutdown
   * hook removes the {@code _temporary} output of the jobs writing files, then fails its jobs
   * (their attempts killed, their abort path run again) and waits for the launcher to have closed the session (executors
   * stopped, the local app folder removed) before the JVM exits, with 130 or 143 for a signal.
   */
  private record Cancellation(Thread hook, CountDownLatch cleanedUp) implements AutoCloseable {
    static final long WAIT_SECONDS = 30;
    /** Above {@code FileSystem.SHUTDOWN_HOOK_PRIORITY} (10): run first. */
    static final int BEFORE_FILE_SYSTEMS_CLOSE = 50;

    static Cancellation onStop(Session session, String appId, PrintStream err, CountDownLatch cleanedUp) {
      Thread hook = new Thread(() -> {
        String caller = io.dflow.executor.ExitCaller.describe();
        err.println("cancelling application " + appId + ": " + (caller != null ? caller
            : "the process was asked to stop") + "; its running tasks are killed and its partial output removed");
        session.abortOutputs(); // first: YARN kills a container 250 ms after asking it to stop
        session.stop("cancelled: the dflow process was asked to stop");
        try {
          cleanedUp.await(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "dflow-cancel");
      // through Hadoop's hook manager, ahead of its closing every FileSystem: the job's abort
      // removes its _temporary from HDFS with them, and the cluster manager is told it ended
      org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(hook, BEFORE_FILE_SYSTEMS_CLOSE,
          WAIT_SECONDS + 5, java.util.concurrent.TimeUnit.SECONDS);
      return new Cancellation(hook, cleanedUp);
    }

    /** Unregisters the hook as the application ends; a hook already running waits for the launcher's end. */
    @Override
    public void close() {
      try {
        org.apache.hadoop.util.ShutdownHookManager.get().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs now and waits for this
      }
    }
  }

  private static int explain(DflowJob job, String[] args, Map<String, String> conf,
      Master master, PrintStream out) throws Exception {
    ExplainRunner runner = new ExplainRunner(conf, master.totalSlots(), out);
    try {
      job.run(new JobContext(runner, conf, master.totalSlots()), args);
      out.println("(the job ran no action)");
    } catch (ExplainRunner.Stop stop) {
      // the first action's plan is printed: nothing runs
    }
    return 0;
  }

  private static String plural(int n, String word) {
    return n + " " + (n == 1 ? word : word + "s");
  }

  /**
   * Whether stderr, where progress goes, is a terminal: {@code bin/dflow} knows and says so in
   * {@value #STDERR_TERMINAL_PROPERTY}; otherwise, whether the JVM has a console (which looks at
   * stdin and stdout, not stderr).
   */
  static boolean stderrIsTerminal() {
    String told = System.getProperty(STDERR_TERMINAL_PROPERTY);
    return told != null ? Boolean.parseBoolean(told) : System.console() != null;
  }

  /** {@code DFLOW_HOME}, where {@code conf/dflow-defaults.properties} lives (null: built-in defaults only). */
  public static Path dflowHome() {
    String home = System.getProperty("dflow.home", System.getenv("DFLOW_HOME"));
    return home == null || home.isBlank() ? null : Path.of(home);
  }
}
