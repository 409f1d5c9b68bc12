package io.dflow.hdfs;

import java.io.IOException;

/** A job's output path already exists and the job was not asked to overwrite it. */
public final class OutputExistsException extends IOException {
  private final String path;

  public OutputExistsException(String path) {
    super("Output path already exists: " + path + " (use --overwrite to replace it)");
    this.path = path;
  }

  /** The fully qualified output path. */
  public String path() {
    return path;
  }
}
