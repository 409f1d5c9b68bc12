package io.dflow.driver.scheduler;

import io.dflow.driver.JobFailedException;
import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.JobId;
import io.dflow.planner.PhysicalPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's scheduler: one event loop thread that owns a {@link DagScheduler} and all its
 * state. Other threads (the job's, the network's) only post events here. The loop takes every
 * event queued, handles them in order, then fills free slots once: a burst of task ends costs
 * one round of launches.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private final DagScheduler dag;
  private final Clock clock;
  private final LinkedBlockingQueue<SchedulerEvent> events = new LinkedBlockingQueue<>();
  private final Thread loop;
  private volatile boolean stopped;
  /** Why jobs submitted once it stopped fail. */
  private volatile String stopReason = "the driver is shutting down";

  /**
   * @param gangs runs the ranks of MPI stages
   * @param topology the racks of hosts, for rack-local placement
   */
  public Scheduler(SchedulerConf conf, Clock clock, ListenerBus bus, Counters counters, GangLauncher gangs,
      Topology topology) {
    this.clock = clock;
    this.dag = new DagScheduler(conf, clock, bus, counters, gangs, topology);
    this.loop = new Thread(this::run, "dflow-scheduler");
    loop.setDaemon(true);
    loop.start();
  }

  /**
   * Runs result partitions {@code first .. first + count - 1} of {@code plan}; completes when all
   * have succeeded, or exceptionally with a {@link JobFailedException}. Its stages are serialised
   * here, on the caller's thread.
   *
   * @throws IllegalArgumentException if a function or record of the job cannot be serialised
   */
  public CompletableFuture<JobSummary> submit(JobId job, PhysicalPlan plan, int first, int count,
      ResultHandler handler, String commitJob, String description) {
    List<SerializedStage> stages = plan.stages().stream().map(SerializedStage::of).toList();
    CompletableFuture<JobSummary> outcome = new CompletableFuture<>();
    post(new SchedulerEvent.JobSubmitted(job, plan, stages, first, count, handler, commitJob, description, outcome));
    return outcome;
  }

  public void executorAdded(ExecutorHandle executor) {
    post(new SchedulerEvent.ExecutorAdded(executor));
  }

  public void statusReceived(ExecutorId from, List<TaskEnded> ended) {
    post(new SchedulerEvent.StatusReceived(from, ended));
  }

  /** {@code replacing}: the backend starts an executor in its place, so losing the last one does not end the jobs. */
  public void executorLost(ExecutorId executor, String reason, boolean replacing) {
    executorLost(executor, reason, replacing, true);
  }

  /** {@code causedByApp}: the loss counts against the attempts of the tasks it ran (see {@link SchedulerEvent.ExecutorLost}). */
  public void executorLost(ExecutorId executor, String reason, boolean replacing, boolean causedByApp) {
    post(new SchedulerEvent.ExecutorLost(executor, reason, replacing, causedByApp));
  }

  public void datasetUnpersisted(int node) {
    post(new SchedulerEvent.DatasetUnpersisted(node));
  }

  public void broadcastDestroyed(long id) {
    post(new SchedulerEvent.BroadcastDestroyed(id));
  }

  /** Asks the scheduler's thread a question about its state and waits for the answer. */
  public <T> T query(Function<DagScheduler, T> question) {
    CompletableFuture<T> answer = new CompletableFuture<>();
    post(new SchedulerEvent.Query<>(question, answer));
    try {
      return answer.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private void post(SchedulerEvent event) {
    if (stopped && !(event instanceof SchedulerEvent.Stop)) {
      if (event instanceof SchedulerEvent.JobSubmitted j) {
        j.outcome().completeExceptionally(new JobFailedException(stopReason));
      } else if (event instanceof SchedulerEvent.Query<?> q) {
        q.answer().completeExceptionally(new IllegalStateException("the scheduler has stopped"));
      }
      return;
    }
    events.add(event);
  }

  private void run() {
    List<SchedulerEvent> batch = new ArrayList<>();
    try {
      while (true) {
        long wake = dag.nextWakeNanos();
        SchedulerEvent first = wake == Long.MAX_VALUE ? events.take()
            : events.poll(Math.max(0, wake - clock.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first); // else a slot's locality wait ended: offer again
        }
        events.drainTo(batch);
        for (SchedulerEvent e : batch) {
          guarded(e);
          if (e instanceof SchedulerEvent.Stop && stopped) {
            refuseLeftovers(); // stop() or close(); a Stop from cancelAll fails the running jobs and the loop goes on
            return;
          }
        }
        batch.clear();
        try {
          dag.afterEvents();
        } catch (RuntimeException e) {
          failEverything(e);
        }
      }
    } catch (InterruptedException e) {
      dag.handle(new SchedulerEvent.Stop("the scheduler was interrupted"));
    }
  }

  /** Fails the jobs and questions posted behind the loop's last event, which no loop will take. */
  private void refuseLeftovers() {
    List<SchedulerEvent> left = new ArrayList<>();
    events.drainTo(left);
    for (SchedulerEvent e : left) {
      if (e instanceof SchedulerEvent.JobSubmitted j) {
        j.outcome().completeExceptionally(new JobFailedException(stopReason));
      } else if (e instanceof SchedulerEvent.Query<?> q) {
        q.answer().completeExceptionally(new IllegalStateException("the scheduler has stopped"));
      }
    }
  }

  /** Handles one event; a bug that throws fails the running jobs, but the scheduler lives on. */
  private void guarded(SchedulerEvent e) {
    try {
      dag.handle(e);
    } catch (RuntimeException ex) {
      failEverything(ex);
    }
  }

  private void failEverything(RuntimeException e) {
    LOG.error("scheduler error; failing the running jobs", e);
    dag.handle(new SchedulerEvent.Stop("scheduler error: " + e));
  }

  /**
   * Fails every running job with {@code reason}, killing its running attempts; later jobs run as
   * before (a shell cancels its running job and carries on).
   */
  public void cancelAll(String reason) {
    post(new SchedulerEvent.Stop(reason));
  }

  /**
   * Like {@link #cancelAll}, and the loop ends with it, so a job submitted afterwards (one whose
   * driver code had not reached its submit yet) fails at once instead of waiting for a loop that
   * is gone: the application is being cancelled.
   */
  public void stop(String reason) {
    stopReason = reason;
    stopped = true;
    events.add(new SchedulerEvent.Stop(reason));
  }

  /** Fails the jobs still running and stops the loop. */
  @Override
  public void close() {
    stopped = true;
    events.add(new SchedulerEvent.Stop("the driver is shutting down"));
    try {
      loop.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
