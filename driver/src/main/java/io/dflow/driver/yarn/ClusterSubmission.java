package io.dflow.driver.yarn;

import io.dflow.driver.DflowConf;
import io.dflow.driver.JobRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.ApplicationSubmissionContext;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.SignalContainerCommand;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.exceptions.YarnException;

/**
 * {@code --deploy-mode cluster}: ships dflow's jars and the job jar, submits an application whose
 * master's container runs the driver ({@code dflow run --master yarn} there, with the master in
 * the same JVM), then follows it: each change of state on a line, and at the end its final
 * status and YARN's diagnostics; the exit code is the job's (0 succeeded, 1 not). Ctrl-C stops
 * the application: its driver cancels the job, then, if need be, YARN kills it. The run's secret is made in the master's container and never leaves it
 * except as a credential of the executors' containers.
 */
public final class ClusterSubmission {
  private static final EnumSet<YarnApplicationState> ENDED =
      EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED);
  /** Settings that describe the submitting host, not the master's container. */
  private static final List<String> NOT_FORWARDED = List.of(DflowConf.DEPLOY_MODE, "dflow.executor.classpath",
      DflowConf.LOCAL_DIR);

  /** How long a stopped submitter waits for the driver to cancel its job before killing the application. */
  static final int GRACE_SECONDS = 20;

  private ClusterSubmission() {}

  /** Submits {@code request} with settings {@code conf}; returns the exit code. */
  public static int run(JobRequest request, Map<String, String> conf, PrintStream err) {
    YarnSettings settings = YarnSettings.from(conf);
    YarnConfiguration yarnConf;
    try {
      yarnConf = YarnConf.create(conf);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    YarnClient yarn = YarnClient.createYarnClient();
    yarn.init(yarnConf);
    yarn.start();
    Path scratch = null;
    Thread kill = null;
    try {
      ApplicationSubmissionContext context = yarn.createApplication().getApplicationSubmissionContext();
      ApplicationId appId = context.getApplicationId();
      scratch = Files.createTempDirectory("dflow-submit");
      Staging staging = new Staging(yarnConf, conf.get(DflowConf.YARN_STAGING_DIR));
      List<ShippedFile> classpath = staging.shipClasspath(YarnBackend.classpathEntries(conf), scratch);
      ShippedFile jobJar = staging.shipAsHash(request.jar());
      List<ShippedFile> files = new ArrayList<>(classpath);
      files.add(jobJar);
      files.add(staging.shipConf(yarnConf, appId.toString()));
      err.println("application " + appId + ": jars " + staging.summary());
      AmContainer.describe(context, settings, files, driverCommand(request, conf, classpath, jobJar), null);
      kill = new Thread(() -> killUnlessEnded(yarn, appId, err), "dflow-kill-application");
      Runtime.getRuntime().addShutdownHook(kill);
      yarn.submitApplication(context);
      err.println("application " + appId + " submitted to queue '" + settings.queue() + "'; its driver runs in its "
          + "application master (its output: yarn logs -applicationId " + appId + ")");
      ApplicationReport end = follow(yarn, appId, err);
      String diagnostics = end.getDiagnostics() == null ? "" : end.getDiagnostics().strip();
      boolean ok = end.getFinalApplicationStatus() == FinalApplicationStatus.SUCCEEDED;
      err.println("application " + appId + " " + (ok ? "succeeded" : "failed") + " (" + end.getYarnApplicationState()
          + ", " + end.getFinalApplicationStatus() + ")" + (diagnostics.isEmpty() ? "" : ": " + diagnostics));
      return ok ? 0 : 1;
    } catch (IOException | YarnException e) {
      err.println("error: cannot submit to YARN: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted while following the application");
      return 1;
    } finally {
      if (kill == null || removed(kill)) {
        yarn.stop(); // else the hook stops the application through this client as the process ends
      }
      if (scratch != null) {
        io.dflow.executor.LocalDirs.deleteRecursively(scratch);
      }
    }
  }

  /**
   * {@code dflow run} in the master's container: the same job, arguments and settings (those the
   * defaults file and the command line gave, as there is no defaults file there), in client mode there.
   */
  private static List<String> driverCommand(JobRequest request, Map<String, String> conf, List<ShippedFile> classpath,
      ShippedFile jobJar) throws IOException {
    Map<String, String> builtIn = DflowConf.load(null, Map.of());
    List<String> cmd = ContainerCommands.java(YarnSettings.heapOption(YarnSettings.from(conf).amHeapBytes()), Map.of(),
        classpath);
    cmd.addAll(List.of("-D" + YarnBackend.IN_APPLICATION_MASTER + "=true", "io.dflow.driver.cli.DflowCli", "run"));
    if (request.className() != null) {
      cmd.addAll(List.of("--class", request.className()));
    }
    conf.forEach((key, value) -> {
      if (!NOT_FORWARDED.contains(key) && !value.equals(builtIn.get(key))) {
        cmd.addAll(List.of("--conf", key + "=" + value));
      }
    });
    // scratch space in the container's own folder
    cmd.addAll(List.of("--conf", DflowConf.LOCAL_DIR + "=dflow-driver", jobJar.link()));
    cmd.addAll(List.of(request.args()));
    return cmd;
  }

  /** Whether {@code hook} was taken off before it ran; false once the process is ending and it runs. */
  private static boolean removed(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return true;
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  /** Waits for the application's end, printing each state it passes through. */
  private static ApplicationReport follow(YarnClient yarn, ApplicationId appId, PrintStream err)
      throws IOException, YarnException, InterruptedException {
    YarnApplicationState last = null;
    while (true) {
      ApplicationReport r = yarn.getApplicationReport(appId);
      if (r.getYarnApplicationState() != last) {
        last = r.getYarnApplicationState();
        err.println("application " + appId + " is " + last
            + (last == YarnApplicationState.RUNNING ? " (master on " + r.getHost() + ")" : ""));
      }
      if (ENDED.contains(last)) {
        return r;
      }
      Thread.sleep(500);
    }
  }

  /**
   * Stops the application as the dflow process is asked to stop: its master's container is
   * sent SIGTERM first ({@code GRACEFUL_SHUTDOWN}), on which the driver there cancels its job
   * (its partial output removed) and unregisters; only if it has not ended within
   * {@value #GRACE_SECONDS} s is it killed. YARN's own kill gives a container a fraction of a
   * second between SIGTERM and SIGKILL, too little for the job's abort to reach HDFS.
   */
  private static void killUnlessEnded(YarnClient yarn, ApplicationId appId, PrintStream err) {
    try {
      ApplicationReport r = yarn.getApplicationReport(appId);
      if (ENDED.contains(r.getYarnApplicationState())) {
        return;
      }
      ContainerId master = r.getCurrentApplicationAttemptId() == null ? null
          : yarn.getApplicationAttemptReport(r.getCurrentApplicationAttemptId()).getAMContainerId();
      if (master != null) {
        err.println("stopping application " + appId + ": the dflow process was asked to stop; its driver cancels the job");
        yarn.signalToContainer(master, SignalContainerCommand.GRACEFUL_SHUTDOWN);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(GRACE_SECONDS);
        while (System.nanoTime() < deadline) {
          ApplicationReport end = yarn.getApplicationReport(appId);
          if (ENDED.contains(end.getYarnApplicationState())) {
            err.println("application " + appId + " stopped (" + end.getYarnApplicationState() + ", "
                + end.getFinalApplicationStatus() + ")" + (end.getDiagnostics() == null ? "" : ": "
                + end.getDiagnostics().strip()));
            return;
          }
          Thread.sleep(200);
        }
      }
      err.println("killing application " + appId + ": the dflow process was asked to stop");
      yarn.killApplication(appId);
    } catch (IOException | YarnException e) {
      err.println("cannot kill application " + appId + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
