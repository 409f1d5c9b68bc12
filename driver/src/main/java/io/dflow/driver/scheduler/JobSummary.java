package io.dflow.driver.scheduler;

/** What a finished job did: the stage attempts it ran and the tasks that succeeded in them. */
public record JobSummary(int stagesRun, int tasksRun) {}
