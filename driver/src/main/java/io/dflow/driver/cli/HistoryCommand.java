package io.dflow.driver.cli;

import io.dflow.driver.DflowConf;
import io.dflow.driver.JobLauncher;
import io.dflow.driver.history.EventLogs;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dflow history}: the applications whose event logs are kept, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "List past applications from their event logs (dflow.eventLog.dir): id, name, start, duration, status.")
final class HistoryCommand implements Callable<Integer> {
  private static final DateTimeFormatter START =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneId.systemDefault());

  @ParentCommand
  DflowCli parent;

  @Option(names = "--dir", paramLabel = "DIR", description = "the event log folder (default: dflow.eventLog.dir)")
  Path dir;

  @Override
  public Integer call() throws Exception {
    Path logs = logsDir(dir);
    List<EventLogs.Summary> apps = EventLogs.list(logs);
    if (apps.isEmpty()) {
      parent.out.println("no applications logged in " + logs);
      return 0;
    }
    parent.out.printf(Locale.ROOT, "%-28s %-40s %-19s %10s  %s%n", "APPLICATION", "NAME", "START", "DURATION", "STATUS");
    for (EventLogs.Summary s : apps) {
      parent.out.printf(Locale.ROOT, "%-28s %-40s %-19s %9.2fs  %s%n", s.app(), s.name(),
          START.format(Instant.ofEpochMilli(s.startMillis())), s.durationMillis() / 1000.0, s.status());
    }
    return 0;
  }

  /** {@code dir}, or when null the event log folder the settings name. */
  static Path logsDir(Path dir) throws java.io.IOException {
    return dir != null ? dir : Path.of(DflowConf.load(JobLauncher.dflowHome(), Map.of()).get(DflowConf.EVENT_LOG_DIR));
  }
}
