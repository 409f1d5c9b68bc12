package io.dflow.driver.cli;

import io.dflow.driver.history.EventLogs;
import io.dflow.driver.report.AppReport;
import io.dflow.driver.report.HtmlReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code dflow report APP_ID|FILE}: one application's event log as a self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write the report of one application (from its event log) as one HTML file that opens offline:"
        + " the stage DAG, task statistics per stage, a timeline of every task attempt, counters, configuration"
        + " and warnings with what to change.")
final class ReportCommand implements Callable<Integer> {
  @ParentCommand
  DflowCli parent;

  @Parameters(index = "0", paramLabel = "APP_ID|FILE",
      description = "an application id (as dflow history lists it) or an event log file")
  String app;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where to write the page (default: APP_ID.html)")
  Path output;

  @Option(names = "--dir", paramLabel = "DIR", description = "the event log folder (default: dflow.eventLog.dir)")
  Path dir;

  @Override
  public Integer call() {
    try {
      Path log = logOf(app);
      AppReport report;
      try {
        report = AppReport.of(EventLogs.read(log));
      } catch (IllegalArgumentException e) {
        throw new IOException(log + " is " + e.getMessage(), e);
      }
      Path out = output != null ? output : Path.of(report.app() + ".html");
      try {
        Files.writeString(out, HtmlReport.render(report), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IOException("cannot write the report to " + out + ": " + (e instanceof java.nio.file.NoSuchFileException
            ? "its folder does not exist" : e.getMessage()), e);
      }
      parent.out.println("report of " + report.app() + " (" + report.status() + ", " + report.stages().size()
          + " stage attempts, " + report.tasks().size() + " task attempts, " + report.warnings().size()
          + (report.warnings().size() == 1 ? " warning" : " warnings") + "): " + out.toAbsolutePath());
      return 0;
    } catch (IOException e) {
      parent.err.println("error: " + e.getMessage());
      return 1;
    }
  }

  private Path logOf(String arg) throws IOException {
    Path file = Path.of(arg);
    if (Files.isRegularFile(file)) {
      return file;
    }
    if (arg.contains("/") || arg.endsWith(".jsonl") || arg.endsWith(".gz") || arg.endsWith(".inprogress")) {
      throw new IOException("no event log file " + arg);
    }
    return EventLogs.find(HistoryCommand.logsDir(dir), arg);
  }
}
