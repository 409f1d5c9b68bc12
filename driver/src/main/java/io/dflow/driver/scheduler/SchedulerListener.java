package io.dflow.driver.scheduler;

/** Receives scheduler events on the listener bus's thread, one at a time, in order. */
@FunctionalInterface
public interface SchedulerListener {
  void onEvent(ListenerEvent event);
}
