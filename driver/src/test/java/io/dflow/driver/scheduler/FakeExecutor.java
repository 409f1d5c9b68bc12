package io.dflow.driver.scheduler;

import io.dflow.driver.backend.ExecutorHandle;
import io.dflow.executor.protocol.ControlMessage;
import io.dflow.executor.protocol.ControlMessage.LaunchTasks;
import io.dflow.executor.protocol.ControlMessage.RegisterStage;
import io.dflow.executor.protocol.ControlMessage.TaskLaunch;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.StageAttemptId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An executor that runs nothing: it records what the scheduler sends, for a test to finish as it likes. */
final class FakeExecutor implements ExecutorHandle {
  private final ExecutorId id;
  private final String host;
  private final int slots;
  final List<ControlMessage> received = new ArrayList<>();
  private final List<TaskLaunch> launched = new ArrayList<>();
  final Map<StageAttemptId, RegisterStage> stages = new HashMap<>();

  FakeExecutor(String id, String host, int slots) {
    this.id = new ExecutorId(id);
    this.host = host;
    this.slots = slots;
  }

  @Override
  public ExecutorId id() {
    return id;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public String address() {
    return "10.0.0." + Math.abs(id.value().hashCode() % 200);
  }

  @Override
  public int port() {
    return 7000;
  }

  @Override
  public int slots() {
    return slots;
  }

  @Override
  public void send(ControlMessage message) {
    received.add(message);
    if (message instanceof RegisterStage r) {
      stages.put(r.stage(), r);
    } else if (message instanceof LaunchTasks l) {
      for (TaskLaunch t : l.tasks()) {
        if (!stages.containsKey(t.attempt().stage())) {
          throw new AssertionError(id + " got a task of stage " + t.attempt().stage() + " before its registration");
        }
        launched.add(t);
      }
    }
  }

  /** The tasks launched here since the last call. */
  List<TaskLaunch> takeLaunched() {
    List<TaskLaunch> out = new ArrayList<>(launched);
    launched.clear();
    return out;
  }

  /** Messages of one type received so far. */
  <T extends ControlMessage> List<T> receivedOf(Class<T> type) {
    return received.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Override
  public String toString() {
    return id.value();
  }
}
