package io.dflow.bench.shuffle;

import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The records of one map partition of {@code bench/shuffle.sh}'s jobs, generated the same way
 * by every contestant (dflow, Spark, Hadoop MR), so that each does identical work. The records
 * are split evenly over the map partitions (the first {@code records % partitions} partitions get
 * one more), and each partition draws its records from a {@link SplittableRandom} seeded by its
 * index:
 *
 * <ul>
 *   <li>key-value records (reduceByKey, groupByKey): seed {@code 1000 + partition}; key =
 *       {@code nextInt(1_000_000)}, then value = {@code nextLong()};
 *   <li>payload records (sortByKey, the big sort): seed {@code 2000 + partition}; first the
 *       value, each byte {@code 'A' + nextInt(26)}, then key = {@code nextLong()}.
 * </ul>
 *
 * <p>A cursor: call {@link #nextKeyValue()} or {@link #nextPayload(byte[])} while {@link
 * #hasNext()} holds. Not thread-safe; one per partition.
 */
public final class ShuffleRecords {
  /** Distinct keys of the key-value records: keys lie in {@code [0, KEYS)}. */
  public static final int KEYS = 1_000_000;
  /** Value bytes of the sortByKey job's records. */
  public static final int SORT_VALUE_BYTES = 90;
  /** Value bytes of the big sort's records. */
  public static final int BIG_SORT_VALUE_BYTES = 100;

  private static final long KEY_VALUE_SEED = 1000;
  private static final long PAYLOAD_SEED = 2000;

  private final SplittableRandom random;
  private final long count;
  private long produced;
  private long key;
  private long value;

  private ShuffleRecords(long seed, long count) {
    this.random = new SplittableRandom(seed);
    this.count = count;
  }

  /** The number of records of map partition {@code partition} out of {@code partitions}. */
  public static long recordsOf(long records, int partitions, int partition) {
    if (records < 0 || partitions < 1 || partition < 0 || partition >= partitions) {
      throw new IllegalArgumentException(
          "bad split: " + records + " records, partition " + partition + " of " + partitions);
    }
    return records / partitions + (partition < records % partitions ? 1 : 0);
  }

  /** The key-value records of map partition {@code partition} (read with {@link #nextKeyValue()}). */
  public static ShuffleRecords keyValues(long records, int partitions, int partition) {
    return new ShuffleRecords(KEY_VALUE_SEED + partition, recordsOf(records, partitions, partition));
  }

  /** The payload records of map partition {@code partition} (read with {@link #nextPayload(byte[])}). */
  public static ShuffleRecords payloads(long records, int partitions, int partition) {
    return new ShuffleRecords(PAYLOAD_SEED + partition, recordsOf(records, partitions, partition));
  }

  /** The number of records this partition has in all. */
  public long count() {
    return count;
  }

  public boolean hasNext() {
    return produced < count;
  }

  /** The number of records not drawn yet. */
  public long remaining() {
    return count - produced;
  }

  /** Draws the next key-value record; read it with {@link #key()} and {@link #value()}. */
  public void nextKeyValue() {
    advance();
    key = random.nextInt(KEYS);
    value = random.nextLong();
  }

  /** The key of the record {@link #nextKeyValue()} drew. */
  public long key() {
    return key;
  }

  /** The value of the record {@link #nextKeyValue()} drew. */
  public long value() {
    return value;
  }

  /**
   * Draws the next payload record: fills all of {@code into} with its value (letters
   * {@code 'A'..'Z'}) and returns its key, uniform over all longs.
   */
  public long nextPayload(byte[] into) {
    advance();
    for (int i = 0; i < into.length; i++) {
      into[i] = (byte) ('A' + random.nextInt(26));
    }
    return random.nextLong();
  }

  private void advance() {
    if (produced >= count) {
      throw new NoSuchElementException("all " + count + " records of this partition were drawn");
    }
    produced++;
  }
}
