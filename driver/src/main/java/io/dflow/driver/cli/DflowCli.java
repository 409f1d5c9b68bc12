package io.dflow.driver.cli;

import io.dflow.executor.net.EventLoops;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dflow} command line: {@code run} and {@code explain} a job jar, {@code streaming}, {@code history}, {@code report}, {@code simulate}, {@code shell}, {@code new-job}. */
@Command(name = "dflow", mixinStandardHelpOptions = true, version = "dflow 0.1.0",
    description = "Runs dataflow jobs on local[N], local-cluster[E,N] or a cluster.",
    subcommands = {RunCommand.class, ExplainCommand.class, StreamingCommand.class, HistoryCommand.class,
        ReportCommand.class, SimulateCommand.class, ShellCommand.class, NewJobCommand.class})
public final class DflowCli implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int exit = execute(args, System.out, System.err);
    EventLoops.shutdownForExit();
    System.exit(exit);
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int execute(String[] args, PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new DflowCli(out, err));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setStopAtPositional(true);
    for (CommandLine sub : cli.getSubcommands().values()) {
      sub.setStopAtPositional(true);
    }
    cli.getSubcommands().get("report").setStopAtPositional(false); // it passes nothing on: options go anywhere
    cli.getSubcommands().get("new-job").setStopAtPositional(false); // DIR takes no arguments after it: options may follow
    return cli.execute(args);
  }

  final PrintStream out;
  final PrintStream err;

  private DflowCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing command: run, explain, streaming, history, report, simulate, shell or new-job");
  }
}
