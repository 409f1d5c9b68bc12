package io.dflow.driver.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dflow.driver.scheduler.ListenerEvent;
import io.dflow.driver.scheduler.StageInfo;
import io.dflow.executor.protocol.ControlMessage.TaskEnded;
import io.dflow.executor.protocol.TaskEndReason;
import io.dflow.executor.protocol.TaskMetrics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One application's event log: a JSON object per line for the application's start (its name,
 * master and effective configuration), every job, stage and task start and end (a task's
 * metrics, locality level, executor, attempt and end reason), every executor added and lost,
 * and the application's end. While the application runs the file is
 * {@code <app>.jsonl.inprogress}, each line written whole and flushed, so a crash leaves a
 * readable prefix; at the end it becomes {@code <app>.jsonl}, gzipped to
 * {@code <app>.jsonl.gz} when it is larger than {@value #COMPRESS_ABOVE} bytes.
 *
 * <p>Threading: {@link #append} runs on the listener bus's thread; {@link #start} and
 * {@link #finish} are called before and after every event.
 */
public final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);
  static final String IN_PROGRESS = ".jsonl.inprogress";
  static final long COMPRESS_ABOVE = 1 << 20;
  static final ObjectMapper JSON = new ObjectMapper();

  private final Path inProgress;
  private final Path done;
  private final BufferedWriter out;
  private Path finished;
  /** False once finished, or once a write failed (a full disk must not fail the application). */
  private boolean open = true;

  private EventLog(Path dir, String appId) throws IOException {
    Files.createDirectories(dir);
    this.inProgress = dir.resolve(appId + IN_PROGRESS);
    this.done = dir.resolve(appId + ".jsonl");
    this.out = Files.newBufferedWriter(inProgress, StandardCharsets.UTF_8);
  }

  /** Opens the log of {@code appId} under {@code dir} and writes the application's start ({@link #applicationStart}). */
  public static EventLog start(Path dir, String appId, Map<String, Object> applicationStart) throws IOException {
    EventLog log = new EventLog(dir, appId);
    log.write(applicationStart);
    return log;
  }

  /** The first event of every log: the application, its name, master and effective configuration. */
  public static Map<String, Object> applicationStart(String appId, String name, String master,
      Map<String, String> conf) {
    Map<String, Object> e = event("ApplicationStart");
    e.put("app", appId);
    e.put("name", name);
    e.put("master", master);
    e.put("conf", new TreeMap<>(conf));
    return e;
  }

  /** Where the log is (in progress until {@link #finish}, then where it ended up). */
  public Path path() {
    return finished != null ? finished : inProgress;
  }

  /** Writes one event, as {@link #describe} gives it. */
  public void append(Map<String, Object> event) {
    write(event);
  }

  /** Writes the application's end, closes the log and gives it its final name; returns that. */
  public Path finish(boolean succeeded, String error) {
    Map<String, Object> e = event("ApplicationEnd");
    e.put("status", succeeded ? "succeeded" : "failed");
    if (error != null) {
      e.put("error", error);
    }
    write(e);
    open = false; // what the application does after its end (stopping executors) is not logged
    try {
      out.close();
      long size = Files.size(inProgress);
      if (size > COMPRESS_ABOVE) {
        Path gz = done.resolveSibling(done.getFileName() + ".gz");
        try (OutputStream zipped = new GZIPOutputStream(Files.newOutputStream(gz), 1 << 16)) {
          Files.copy(inProgress, zipped);
        }
        Files.delete(inProgress);
        finished = gz;
      } else {
        finished = Files.move(inProgress, done, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e2) {
      LOG.warn("cannot finish the event log {}: {}", inProgress, e2.getMessage());
      finished = inProgress;
    }
    return finished;
  }

  private void write(Map<String, Object> event) {
    if (!open) {
      return;
    }
    try {
      out.write(JSON.writeValueAsString(event));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      open = false;
      LOG.warn("the event log {} stopped: {}", inProgress, e.getMessage());
    }
  }

  private static Map<String, Object> event(String type) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event", type);
    e.put("time", System.currentTimeMillis());
    return e;
  }

  /** The JSON form of a scheduler event, or null for one not kept (status messages). */
  public static Map<String, Object> describe(ListenerEvent event) {
    Map<String, Object> e;
    if (event instanceof ListenerEvent.JobStarted j) {
      e = event("JobStart");
      e.put("job", j.job().value());
      e.put("description", j.description());
      e.put("stages", j.stages());
    } else if (event instanceof ListenerEvent.JobStages j) {
      e = event("JobStages");
      e.put("job", j.job().value());
      List<Map<String, Object>> stages = new ArrayList<>();
      for (ListenerEvent.StageNode s : j.stages()) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("stage", s.stage());
        node.put("label", s.label());
        node.put("parents", s.parents());
        stages.add(node);
      }
      e.put("stages", stages);
    } else if (event instanceof ListenerEvent.JobEnded j) {
      e = event("JobEnd");
      e.put("job", j.job().value());
      e.put("stagesRun", j.stagesRun());
      e.put("tasksRun", j.tasksRun());
      e.put("status", j.error() == null ? "succeeded" : "failed");
      if (j.error() != null) {
        e.put("error", j.error());
      }
    } else if (event instanceof ListenerEvent.StageSubmitted s) {
      e = stage("StageSubmit", s.stage());
    } else if (event instanceof ListenerEvent.StageSkipped s) {
      e = stage("StageSkip", s.stage());
    } else if (event instanceof ListenerEvent.StageCompleted s) {
      e = stage("StageEnd", s.stage());
      e.put("status", s.failure() == null ? "succeeded" : "failed");
      if (s.failure() != null) {
        e.put("error", s.failure());
      }
      e.put("runMillis", s.nanos() / 1_000_000);
    } else if (event instanceof ListenerEvent.TaskEnd t) {
      e = stage("TaskEnd", t.stage());
      task(e, t.ended());
      e.put("locality", t.level().name());
    } else if (event instanceof ListenerEvent.ShuffleSkewed k) {
      e = stage("ShuffleSkew", k.stage());
      e.put("shuffle", k.shuffle().toString());
      e.put("partition", k.partition());
      e.put("bytes", k.bytes());
      e.put("medianBytes", k.median());
    } else if (event instanceof ListenerEvent.ExecutorExcluded x) {
      e = stage("ExecutorExclude", x.stage());
      e.put("executor", x.executor().value());
      e.put("failures", x.failures());
    } else if (event instanceof ListenerEvent.ExecutorAdded a) {
      e = event("ExecutorAdd");
      e.put("executor", a.executor().value());
      e.put("host", a.host());
      e.put("slots", a.slots());
    } else if (event instanceof ListenerEvent.ExecutorRemoved r) {
      e = event("ExecutorLoss");
      e.put("executor", r.executor().value());
      e.put("reason", r.reason());
    } else {
      return null;
    }
    return e;
  }

  private static Map<String, Object> stage(String type, StageInfo stage) {
    Map<String, Object> e = event(type);
    if (stage.job() != null) {
      e.put("job", stage.job().value());
    }
    e.put("stage", stage.attempt().stage().value());
    e.put("stageAttempt", stage.attempt().attempt());
    e.put("label", stage.label());
    e.put("tasks", stage.tasks());
    return e;
  }

  private static void task(Map<String, Object> e, TaskEnded ended) {
    e.put("task", ended.attempt().taskId());
    e.put("partition", ended.attempt().partition());
    e.put("attempt", ended.attempt().attempt());
    e.put("executor", ended.executor().value());
    TaskEndReason reason = ended.reason();
    e.put("reason", reason.getClass().getSimpleName());
    if (!(reason instanceof TaskEndReason.Success)) {
      e.put("message", reason.describe());
    }
    TaskMetrics m = ended.metrics();
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("runMillis", m.runMillis());
    metrics.put("gcMillis", m.gcMillis());
    metrics.put("recordsOut", m.recordsOut());
    metrics.put("inputBytes", m.inputBytes());
    metrics.put("shuffleBytesRead", m.shuffleBytesRead());
    metrics.put("shuffleBytesWritten", m.shuffleBytesWritten());
    metrics.put("spills", m.spills());
    metrics.put("spillBytes", m.spillBytes());
    metrics.put("peakMemory", m.peakMemory());
    e.put("metrics", metrics);
    if (reason instanceof TaskEndReason.Success ok && !ok.counters().isEmpty()) {
      e.put("counters", new TreeMap<>(ok.counters()));
    }
  }
}
