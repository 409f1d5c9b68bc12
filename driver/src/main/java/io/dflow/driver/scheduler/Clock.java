package io.dflow.driver.scheduler;

/** Where the scheduler reads time: the system's, or a manual one in tests and simulations. */
@FunctionalInterface
public interface Clock {
  Clock SYSTEM = System::nanoTime;

  long nanoTime();
}
