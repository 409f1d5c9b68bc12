package io.dflow.driver;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the user asked to run: a job jar, the class in it (null: the manifest's Main-Class),
 * the job's arguments and configuration overrides.
 */
public record JobRequest(Path jar, String className, String[] args, Map<String, String> conf) {}
