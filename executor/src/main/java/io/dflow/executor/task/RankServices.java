package io.dflow.executor.task;

import io.dflow.api.mpi.Communicator;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What a task running as an MPI rank has beyond an ordinary task: the gang's communicator; its
 * activity, a number that changes while the rank makes calls or waits inside one, which the
 * hung-task watchdog counts as progress (a rank inside a long solver reads and writes no
 * records for a while, but it talks to its peers, or waits for a slower one); and what
 * to do when the watchdog kills it: a rank stuck where an interrupt cannot reach (a loop, a
 * native call) must still end, or its peers wait for it forever.
 *
 * @param killed told why, on the watchdog's thread, when the watchdog kills the task
 */
public record RankServices(Communicator communicator, LongSupplier activity, Consumer<String> killed) {}
