package io.dflow.api;

/**
 * The entry point of a job jar: {@code dflow run app.jar --class C args} instantiates {@code C}
 * with its no-argument constructor and calls {@link #run}. Actions on datasets built from the
 * context run the job's stages.
 */
@FunctionalInterface
public interface DflowJob {
  void run(JobContext context, String[] args) throws Exception;
}
