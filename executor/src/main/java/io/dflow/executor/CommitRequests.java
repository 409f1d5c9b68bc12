package io.dflow.executor;

/**
 * How an executor asks the driver for the right to commit a task's output: as a fetch of the
 * block {@code commit/<job>/<partition>/<taskId>}, which the driver answers with one byte, 1 for
 * yes and 0 for no. The request travels over the same authenticated connection as job jars and
 * broadcasts, which already has request and response.
 */
public final class CommitRequests {
  public static final String PREFIX = "commit/";

  private CommitRequests() {}

  public static String blockId(String job, int partition, long taskId) {
    return PREFIX + job + "/" + partition + "/" + taskId;
  }

  /** What a commit request names. */
  public record Request(String job, int partition, long taskId) {}

  /**
   * The request {@code blockId} makes, or null if it is no well-formed commit request (a job id
   * of letters, digits, {@code _} and {@code -}, then two whole numbers).
   */
  public static Request parse(String blockId) {
    if (!blockId.startsWith(PREFIX)) {
      return null;
    }
    String[] parts = blockId.substring(PREFIX.length()).split("/", -1);
    if (parts.length != 3 || !parts[0].matches("[A-Za-z0-9_-]{1,200}") || !parts[1].matches("\\d{1,9}")
        || !parts[2].matches("\\d{1,18}")) {
      return null;
    }
    return new Request(parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
  }
}
