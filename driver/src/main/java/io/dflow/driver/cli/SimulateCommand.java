package io.dflow.driver.cli;

import io.dflow.driver.scheduler.LocalityWaits;
import io.dflow.driver.scheduler.Simulation;
import io.dflow.driver.scheduler.SimulationConfig;
import io.dflow.driver.scheduler.SimulationReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code dflow simulate}: one stage on a simulated cluster, placed by the scheduler's own code
 * on a simulated clock; prints what it cost and how well the tasks were placed.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run one stage on a simulated cluster through dflow's task scheduler, in simulated time, and "
        + "print the simulation's wall time, the share of tasks at each locality level, the makespan against a "
        + "lower bound, and the idle slot time.",
        "Hosts are node-0 .. node-N-1, racks hold consecutive hosts; every host runs one executor."})
final class SimulateCommand implements Callable<Integer> {
  @ParentCommand
  DflowCli parent;

  @Option(names = "--nodes", paramLabel = "N", description = "hosts, one executor each (default ${DEFAULT-VALUE})")
  int nodes = 100;

  @Option(names = "--slots", paramLabel = "S", description = "task slots per executor (default ${DEFAULT-VALUE})")
  int slots = 8;

  @Option(names = "--racks", paramLabel = "R", description = "racks (default 10, or N when fewer)")
  Integer racks;

  @Option(names = "--tasks", paramLabel = "T", description = "tasks of the stage (default ${DEFAULT-VALUE})")
  int tasks = 10_000;

  @Option(names = "--replicas", paramLabel = "K", description = "preferred hosts per task (default ${DEFAULT-VALUE})")
  int replicas = 3;

  @Option(names = "--duration-dist", paramLabel = "DIST",
      description = "task time where its data is: fixed:MS, uniform:MIN,MAX or exp:MEAN (default ${DEFAULT-VALUE})")
  String durations = "uniform:1000,5000";

  @Option(names = "--wait", paramLabel = "MS",
      description = "dflow.locality.wait, per level; 0 for none (default ${DEFAULT-VALUE})")
  long waitMillis = LocalityWaits.DEFAULT_MILLIS;

  @Option(names = "--policy", paramLabel = "P",
      description = "how a slot's wait counts: per-slot (dflow's: from when that slot became free, at the level of its "
          + "executor's last launch, skipping a wait that cannot pay off), spark-reset (Spark before 3.1: one timer "
          + "per stage, restarted by every launch), wait-through (per-slot without skipping) or restart (a variant "
          + "of per-slot: every freed slot waits through every level again) "
          + "(default ${DEFAULT-VALUE})")
  String policy = "per-slot";

  @Option(names = "--placement", paramLabel = "uniform|hot:H",
      description = "replicas on random hosts of the cluster, or of its first H hosts only (default ${DEFAULT-VALUE})")
  String placement = "uniform";

  @Option(names = "--rack-slowdown", paramLabel = "X",
      description = "a rack-local task runs X times its time (default ${DEFAULT-VALUE})")
  double rackSlowdown = 1;

  @Option(names = "--any-slowdown", paramLabel = "X",
      description = "a task neither on its data's host nor in its rack runs X times its time (default ${DEFAULT-VALUE})")
  double anySlowdown = 1;

  @Option(names = "--seed", paramLabel = "X", description = "seed of replicas and task times (default ${DEFAULT-VALUE})")
  long seed = 1;

  @Option(names = "--lose", paramLabel = "N@MS",
      description = "lose N executors, drawn from the seed, at MS milliseconds of simulated time: their attempts "
          + "run again elsewhere (default ${DEFAULT-VALUE})")
  String lose = "none";

  @Option(names = "--memory", description = "also measure the heap (full collections, left out of the times)")
  boolean memory;

  @Option(names = "--tsv", description = "print a header and one row of tab-separated values instead")
  boolean tsv;

  @Override
  public Integer call() {
    SimulationConfig config;
    try {
      config = new SimulationConfig(nodes, slots, racks != null ? racks : Math.min(10, nodes), tasks, replicas, SimulationConfig.Durations.parse(durations),
          waitMillis, seed, SimulationConfig.Placement.parse(placement), SimulationConfig.Policy.parse(policy),
          rackSlowdown, anySlowdown, SimulationConfig.Loss.parse(lose));
    } catch (IllegalArgumentException e) {
      parent.err.println("error: " + e.getMessage());
      return 1;
    }
    SimulationReport report = Simulation.run(config, memory);
    if (tsv) {
      parent.out.println(SimulationReport.tsvHeader());
      parent.out.println(report.tsvRow());
    } else {
      parent.out.print(report.text());
    }
    parent.out.flush();
    return 0;
  }
}
