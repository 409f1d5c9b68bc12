package io.dflow.driver;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A job's configuration: the built-in defaults, then {@code conf/dflow-defaults.properties}
 * under {@code DFLOW_HOME}, then each {@code --conf key=value}.
 */
public final class DflowConf {
  public static final String MASTER = "dflow.master";
  public static final String OVERWRITE = "dflow.output.overwrite";
  public static final String LOCAL_DIR = "dflow.local.dir";
  public static final String MAX_ATTEMPTS = "dflow.task.maxAttempts";
  public static final String STAGE_MAX_ATTEMPTS = "dflow.stage.maxAttempts";
  public static final String STORAGE_MEMORY = "dflow.storage.memoryBytes";
  public static final String BROADCAST_MAX_BYTES = "dflow.broadcast.maxBytes";
  public static final String EXECUTION_FRACTION = "dflow.executor.memory.fraction";
  public static final String COMPRESS_CODEC = "dflow.shuffle.compress.codec";
  /** Bytes past which a reducer fetches another executor's shuffle segment to disk rather than the heap. */
  public static final String FETCH_TO_MEM = "dflow.shuffle.maxRemoteBlockSizeFetchToMem";
  public static final String EXECUTOR_MEMORY = "dflow.executor.memory";
  public static final String EXECUTOR_JAVA_OPTIONS = "dflow.executor.javaOptions";
  public static final String REGISTRATION_TIMEOUT = "dflow.executor.registrationTimeoutMs";
  public static final String MAX_FRAME = "dflow.rpc.maxFrameBytes";
  public static final String HANDSHAKE_TIMEOUT = "dflow.rpc.handshakeTimeoutMs";
  /** TLS on every connection; unset: on for {@code yarn} only ({@link #networkCrypto}). */
  public static final String NETWORK_CRYPTO = "dflow.network.crypto.enabled";
  public static final String EVENT_LOG_ENABLED = "dflow.eventLog.enabled";
  public static final String EVENT_LOG_DIR = "dflow.eventLog.dir";
  /** The live report's port: unset (the default) for none, 0 for any free port. */
  public static final String UI_PORT = "dflow.ui.port";
  public static final String UI_HOST = "dflow.ui.host";
  public static final String LOCALITY_WAIT = io.dflow.driver.scheduler.LocalityWaits.WAIT;
  public static final String EXECUTOR_HOSTS = "dflow.executor.hosts";
  public static final String MPI_MAX_ATTEMPTS = "dflow.mpi.maxAttempts";
  public static final String MPI_START_TIMEOUT = "dflow.mpi.startTimeout";
  public static final String MPI_TIMEOUT = "dflow.mpi.timeout";
  public static final String MPI_MPIRUN = "dflow.mpi.mpirun";
  public static final String MPI_OPTIONS = "dflow.mpi.options";
  public static final String MPI_CLASS_ARCHIVE = "dflow.mpi.classArchive";
  public static final String APP_NAME = "dflow.app.name";
  public static final String EXECUTOR_INSTANCES = "dflow.executor.instances";
  public static final String EXECUTOR_CORES = "dflow.executor.cores";
  public static final String EXECUTOR_MEMORY_OVERHEAD = "dflow.executor.memoryOverhead";
  public static final String DRIVER_HOST = "dflow.driver.host";
  public static final String YARN_QUEUE = "dflow.yarn.queue";
  public static final String YARN_AM_MEMORY = "dflow.yarn.am.memory";
  public static final String YARN_STAGING_DIR = "dflow.yarn.stagingDir";
  public static final String YARN_MIN_REGISTERED_RATIO = "dflow.yarn.minRegisteredRatio";
  public static final String YARN_MAX_APP_ATTEMPTS = "dflow.yarn.maxAppAttempts";
  public static final String DEPLOY_MODE = "dflow.submit.deployMode";

  /** Settings that must be positive whole numbers, with the largest value each may take. */
  static final Map<String, Long> POSITIVE_NUMBERS = Map.ofEntries(
      Map.entry("dflow.input.maxSplitBytes", Long.MAX_VALUE),
      Map.entry("dflow.collect.maxBytes", Long.MAX_VALUE),
      Map.entry("dflow.task.memoryBytes", Long.MAX_VALUE),
      Map.entry(FETCH_TO_MEM, Long.MAX_VALUE),
      Map.entry(REGISTRATION_TIMEOUT, Long.MAX_VALUE),
      Map.entry(HANDSHAKE_TIMEOUT, Long.MAX_VALUE),
      Map.entry("dflow.input.maxLineBytes", (long) Integer.MAX_VALUE),
      Map.entry("dflow.shuffle.partitions", (long) Integer.MAX_VALUE),
      Map.entry("dflow.parallelize.slicesPerSlot", (long) Integer.MAX_VALUE),
      Map.entry(MAX_ATTEMPTS, (long) Integer.MAX_VALUE),
      Map.entry(STAGE_MAX_ATTEMPTS, (long) Integer.MAX_VALUE),
      Map.entry(MPI_MAX_ATTEMPTS, (long) Integer.MAX_VALUE),
      Map.entry(EXECUTOR_INSTANCES, 100_000L),
      Map.entry(EXECUTOR_CORES, 1024L),
      Map.entry(YARN_MAX_APP_ATTEMPTS, 1000L),
      Map.entry(EXECUTOR_MEMORY_OVERHEAD, Long.MAX_VALUE),
      Map.entry(MPI_START_TIMEOUT, Long.MAX_VALUE),
      Map.entry(STORAGE_MEMORY, Long.MAX_VALUE),
      Map.entry(BROADCAST_MAX_BYTES, (long) Integer.MAX_VALUE - 8),
      Map.entry("dflow.shuffle.maxBytesInFlight", Long.MAX_VALUE),
      Map.entry(MAX_FRAME, (long) Integer.MAX_VALUE),
      Map.entry("dflow.rpc.fetchChunkBytes", (long) Integer.MAX_VALUE));

  /**
   * Every {@code dflow.} setting there is: what {@code conf/dflow-defaults.properties} documents,
   * line for line (a test keeps the two equal). Any other {@code dflow.} key is a mistake.
   */
  static final java.util.Set<String> KNOWN = java.util.Set.of(MASTER, OVERWRITE, LOCAL_DIR, MAX_ATTEMPTS,
      STAGE_MAX_ATTEMPTS, STORAGE_MEMORY, BROADCAST_MAX_BYTES, EXECUTION_FRACTION, COMPRESS_CODEC, EXECUTOR_MEMORY,
      EXECUTOR_JAVA_OPTIONS, REGISTRATION_TIMEOUT, MAX_FRAME, HANDSHAKE_TIMEOUT, "dflow.input.maxSplitBytes",
      "dflow.input.maxLineBytes", "dflow.collect.maxBytes", "dflow.task.memoryBytes", "dflow.task.timeout",
      "dflow.shuffle.partitions", "dflow.shuffle.maxBytesInFlight", "dflow.parallelize.slicesPerSlot",
      "dflow.rpc.fetchChunkBytes", "dflow.executor.classpath", "dflow.output.compress", "dflow.output.compress.codec",
      "dflow.pipe.drainMillis", "dflow.streaming.combineBufferBytes", MPI_MAX_ATTEMPTS, MPI_START_TIMEOUT,
      MPI_TIMEOUT, MPI_MPIRUN, MPI_OPTIONS, MPI_CLASS_ARCHIVE, LOCALITY_WAIT, LOCALITY_WAIT + ".process", LOCALITY_WAIT + ".node",
      LOCALITY_WAIT + ".rack", EXECUTOR_HOSTS, EVENT_LOG_ENABLED, EVENT_LOG_DIR, APP_NAME, EXECUTOR_INSTANCES,
      EXECUTOR_CORES, EXECUTOR_MEMORY_OVERHEAD, DRIVER_HOST, YARN_QUEUE, YARN_AM_MEMORY, YARN_STAGING_DIR, DEPLOY_MODE,
      YARN_MIN_REGISTERED_RATIO, YARN_MAX_APP_ATTEMPTS,
      io.dflow.driver.scheduler.Speculation.ENABLED, io.dflow.driver.scheduler.Speculation.QUANTILE,
      io.dflow.driver.scheduler.Speculation.MULTIPLIER, io.dflow.driver.scheduler.Speculation.MIN_RUNTIME,
      io.dflow.driver.scheduler.ExcludeOnFailure.ENABLED, io.dflow.driver.scheduler.ExcludeOnFailure.MAX_FAILED_TASKS,
      io.dflow.executor.task.TaskRunner.KILL_TIMEOUT_KEY, UI_PORT, UI_HOST, NETWORK_CRYPTO,
      io.dflow.planner.JoinStrategy.KEY, FETCH_TO_MEM);

  /** Settings that are sizes in bytes: they may also be written {@code 64k}, {@code 512m}, {@code 4g}. */
  static final java.util.Set<String> SIZES = java.util.Set.of("dflow.input.maxSplitBytes", "dflow.input.maxLineBytes",
      "dflow.collect.maxBytes", "dflow.task.memoryBytes", STORAGE_MEMORY, BROADCAST_MAX_BYTES,
      "dflow.shuffle.maxBytesInFlight", MAX_FRAME, "dflow.rpc.fetchChunkBytes", "dflow.streaming.combineBufferBytes",
      EXECUTOR_MEMORY_OVERHEAD, FETCH_TO_MEM);

  /** Settings that are true or false, nothing else. */
  static final java.util.Set<String> BOOLEANS = java.util.Set.of(OVERWRITE, "dflow.output.compress",
      EVENT_LOG_ENABLED, NETWORK_CRYPTO, io.dflow.driver.scheduler.Speculation.ENABLED,
      io.dflow.driver.scheduler.ExcludeOnFailure.ENABLED);

  private DflowConf() {}

  /** Defaults for keys that code reads without a fallback of its own. */
  static Map<String, String> builtIn() {
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put(MASTER, "local[*]");
    conf.put(LOCAL_DIR, Path.of(System.getProperty("java.io.tmpdir"), "dflow").toString());
    conf.put(STAGE_MAX_ATTEMPTS, "4");
    conf.put(BROADCAST_MAX_BYTES, String.valueOf(256 << 20));
    conf.put(EXECUTOR_MEMORY, "1g");
    conf.put(REGISTRATION_TIMEOUT, "60000");
    conf.put(MAX_FRAME, String.valueOf(128 << 20));
    conf.put(HANDSHAKE_TIMEOUT, "10000");
    conf.put(EVENT_LOG_ENABLED, "true");
    conf.put(EVENT_LOG_DIR, Path.of(System.getProperty("user.home"), ".dflow", "events").toString());
    conf.put(UI_HOST, "127.0.0.1");
    conf.put(MPI_MAX_ATTEMPTS, "2");
    conf.put(MPI_START_TIMEOUT, "60000");
    conf.put(MPI_TIMEOUT, "0");
    conf.put(MPI_MPIRUN, "mpirun");
    conf.put(MPI_CLASS_ARCHIVE, "auto");
    conf.put(EXECUTOR_INSTANCES, "2");
    conf.put(EXECUTOR_CORES, "1");
    conf.put(YARN_QUEUE, "default");
    conf.put(YARN_AM_MEMORY, "512m");
    conf.put(DEPLOY_MODE, "client");
    conf.put(YARN_MIN_REGISTERED_RATIO, "0.8");
    conf.put(YARN_MAX_APP_ATTEMPTS, "1");
    return conf;
  }

  /** Built-ins, then the defaults file of {@code dflowHome} (if any), then {@code overrides}. */
  public static Map<String, String> load(Path dflowHome, Map<String, String> overrides) throws IOException {
    Map<String, String> conf = builtIn();
    if (dflowHome != null) {
      Path file = dflowHome.resolve("conf").resolve("dflow-defaults.properties");
      if (Files.isRegularFile(file)) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
          props.load(in);
        }
        props.stringPropertyNames().forEach(k -> conf.put(k, props.getProperty(k).trim()));
      }
    }
    conf.putAll(overrides);
    for (String key : SIZES) {
      conf.computeIfPresent(key, (k, v) -> bytes(k, v));
    }
    validate(conf);
    return conf;
  }

  /**
   * Fails with the key and the bad value if a numeric setting is not a positive whole number in
   * range, a share of the heap is not between 0 and 1, or a codec is not one dflow has.
   */
  static void validate(Map<String, String> conf) {
    for (String key : conf.keySet()) {
      if (key.startsWith("dflow.") && !KNOWN.contains(key)) {
        String nearest = nearest(key);
        throw new IllegalArgumentException("unknown setting " + key
            + (nearest == null ? "" : ": did you mean " + nearest + "?") + " (conf/dflow-defaults.properties lists them all)");
      }
    }
    for (String key : BOOLEANS) {
      String value = conf.get(key);
      if (value != null && !value.trim().equals("true") && !value.trim().equals("false")) {
        throw new IllegalArgumentException("setting " + key + "=" + value + " is not valid: it must be true or false");
      }
    }
    String fraction = conf.get(EXECUTION_FRACTION);
    if (fraction != null) {
      double f;
      try {
        f = Double.parseDouble(fraction.trim());
      } catch (NumberFormatException e) {
        f = -1;
      }
      if (!(f > 0 && f < 1)) {
        throw new IllegalArgumentException("setting " + EXECUTION_FRACTION + "=" + fraction
            + " is not valid: it must be a number between 0 and 1");
      }
    }
    String ratio = conf.get(YARN_MIN_REGISTERED_RATIO);
    if (ratio != null && !(parsedOrNaN(ratio) > 0 && parsedOrNaN(ratio) <= 1)) {
      throw new IllegalArgumentException("setting " + YARN_MIN_REGISTERED_RATIO + "=" + ratio
          + " is not valid: it must be a number above 0 and at most 1");
    }
    io.dflow.driver.scheduler.LocalityWaits.from(conf); // a bad wait fails here, naming its key
    io.dflow.driver.scheduler.Speculation.from(conf);
    io.dflow.driver.scheduler.ExcludeOnFailure.from(conf);
    String killTimeout = conf.get(io.dflow.executor.task.TaskRunner.KILL_TIMEOUT_KEY);
    if (killTimeout != null && !killTimeout.trim().matches("\\d{1,15}")) {
      throw new IllegalArgumentException("setting " + io.dflow.executor.task.TaskRunner.KILL_TIMEOUT_KEY + "="
          + killTimeout + " is not valid: it must be a whole number of milliseconds, 0 for never");
    }
    String mpiTimeout = conf.get(MPI_TIMEOUT);
    if (mpiTimeout != null && !mpiTimeout.trim().matches("\\d{1,18}")) {
      throw new IllegalArgumentException("setting " + MPI_TIMEOUT + "=" + mpiTimeout
          + " is not valid: it must be a whole number of milliseconds, 0 for none");
    }
    String port = conf.get(UI_PORT);
    if (port != null && !port.isBlank()
        && !(port.trim().matches("\\d{1,5}") && Integer.parseInt(port.trim()) <= 65535)) {
      throw new IllegalArgumentException("setting " + UI_PORT + "=" + port
          + " is not valid: it must be a port number from 1 to 65535, 0 for any free port, or unset for no live report");
    }
    String mode = conf.get(DEPLOY_MODE);
    if (mode != null && !mode.trim().equals("client") && !mode.trim().equals("cluster")) {
      throw new IllegalArgumentException("setting " + DEPLOY_MODE + "=" + mode + " is not valid: it must be client or cluster");
    }
    if (mode != null && mode.trim().equals("cluster") && !conf.getOrDefault(MASTER, "").trim().equals("yarn")) {
      throw new IllegalArgumentException("--deploy-mode cluster needs --master yarn (the master is "
          + conf.get(MASTER) + ")");
    }
    for (String heap : new String[] {EXECUTOR_MEMORY, YARN_AM_MEMORY}) {
      if (conf.get(heap) != null) {
        sizeValue(conf, heap);
      }
    }
    String codec = conf.get(COMPRESS_CODEC);
    if (codec != null) {
      io.dflow.arrow.Compression.named(codec);
    }
    String joins = conf.get(io.dflow.planner.JoinStrategy.KEY);
    if (joins != null) {
      io.dflow.planner.JoinStrategy.of(joins);
    }
    POSITIVE_NUMBERS.forEach((key, max) -> {
      String value = conf.get(key);
      if (value == null) {
        return;
      }
      long n;
      try {
        n = Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        n = 0;
      }
      if (n < 1 || n > max) {
        throw new IllegalArgumentException("setting " + key + "=" + value
            + " is not valid: it must be a whole number from 1 to " + max);
      }
    });
  }

  /** {@code value} of size setting {@code key} in bytes: a number, or one with a k, m or g suffix (powers of 1024). */
  static String bytes(String key, String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    int shift = v.endsWith("k") ? 10 : v.endsWith("m") ? 20 : v.endsWith("g") ? 30 : 0;
    if (shift == 0) {
      return value;
    }
    try {
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      if (n > 0 && n <= (Long.MAX_VALUE >> shift)) {
        return String.valueOf(n << shift);
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw new IllegalArgumentException("setting " + key + "=" + value
        + " is not valid: it must be a size in bytes, such as 134217728, 128m or 4g");
  }

  /** The known key closest to {@code key} by edit distance, if it is close enough to be the one meant. */
  private static String nearest(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : new java.util.TreeSet<>(KNOWN)) {
      int d = editDistance(key, known);
      if (d < bestDistance) {
        best = known;
        bestDistance = d;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 4) ? best : null;
  }

  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** Parses {@code key=value}. */
  public static Map.Entry<String, String> parsePair(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("--conf expects key=value, got '" + text + "'");
    }
    return Map.entry(text.substring(0, eq).trim(), text.substring(eq + 1).trim());
  }

  /**
   * A heap size setting ({@code dflow.executor.memory}: {@code 1g}, {@code 512m}, as {@code -Xmx}
   * takes them) in bytes; it fails naming the key if it is not a size.
   */
  public static long sizeValue(Map<String, String> conf, String key) {
    String v = bytes(key, conf.get(key).trim());
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1) {
      throw new IllegalArgumentException("setting " + key + "=" + conf.get(key)
          + " is not valid: it must be a size in bytes, such as 134217728, 512m or 4g");
    }
    return n;
  }

  /** Executors on a cluster manager: {@code dflow.executor.instances}, 2 when unset. */
  public static int executorInstances(Map<String, String> conf) {
    return Integer.parseInt(conf.getOrDefault(EXECUTOR_INSTANCES, "2").trim());
  }

  /** Slots of an executor on a cluster manager: {@code dflow.executor.cores}, 1 when unset. */
  public static int executorCores(Map<String, String> conf) {
    return Integer.parseInt(conf.getOrDefault(EXECUTOR_CORES, "1").trim());
  }

  private static double parsedOrNaN(String number) {
    try {
      return Double.parseDouble(number.trim());
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  static boolean booleanValue(Map<String, String> conf, String key) {
    return Boolean.parseBoolean(conf.getOrDefault(key, "false").trim());
  }

  /**
   * Whether connections are encrypted: {@code dflow.network.crypto.enabled} if set, else
   * {@code onByDefault} (true for a master whose connections cross a shared network).
   */
  public static boolean networkCrypto(Map<String, String> conf, boolean onByDefault) {
    String set = conf.get(NETWORK_CRYPTO);
    return set == null || set.isBlank() ? onByDefault : Boolean.parseBoolean(set.trim());
  }

  /** A fresh key and certificate for the application when {@link #networkCrypto} says so, else null. */
  public static io.dflow.executor.net.TlsIdentity tlsIdentity(Map<String, String> conf, boolean onByDefault) {
    return networkCrypto(conf, onByDefault) ? io.dflow.executor.net.TlsIdentity.generate() : null;
  }

  static int intValue(Map<String, String> conf, String key) {
    return Integer.parseInt(conf.get(key).trim());
  }

  /** How executors share out their heaps, from {@code dflow.storage.memoryBytes} and {@code dflow.executor.memory.fraction}. */
  static io.dflow.driver.backend.ExecutorMemory executorMemory(Map<String, String> conf) {
    String storage = conf.get(STORAGE_MEMORY);
    String fraction = conf.get(EXECUTION_FRACTION);
    return new io.dflow.driver.backend.ExecutorMemory(storage == null ? null : Long.valueOf(storage.trim()),
        fraction == null ? io.dflow.executor.ExecutorConf.DEFAULT_EXECUTION_FRACTION : Double.parseDouble(fraction.trim()));
  }

  static long longValue(Map<String, String> conf, String key) {
    return Long.parseLong(conf.get(key).trim());
  }

  /**
   * Attempts per task: {@code dflow.task.maxAttempts} if set, else 1 in-process (a failure there
   * is the job's own bug, reported at once) and 4 with executor JVMs, which can be lost.
   */
  static int maxTaskAttempts(Map<String, String> conf, Master master) {
    String set = conf.get(MAX_ATTEMPTS);
    if (set != null) {
      return Integer.parseInt(set.trim());
    }
    return master instanceof Master.Local ? 1 : 4;
  }


}
