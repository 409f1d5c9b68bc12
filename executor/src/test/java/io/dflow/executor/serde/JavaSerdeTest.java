package io.dflow.executor.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.HashPartitioner;
import io.dflow.api.Pair;
import io.dflow.api.function.MapFunction;
import io.dflow.api.plan.Steps;
import io.dflow.executor.JobClassLoader;
import io.dflow.executor.protocol.ExecutorId;
import io.dflow.executor.protocol.MapOutputLocation;
import io.dflow.executor.protocol.StageAttemptId;
import io.dflow.executor.protocol.StageId;
import io.dflow.executor.protocol.TaskAttempt;
import io.dflow.planner.ShuffleId;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.BadAttributeValueExpException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java serialisation behind control messages, tasks and results: values and closures round
 * trip, and reading refuses classes outside the allow-list, over-deep graphs and hostile lengths.
 */
class JavaSerdeTest {
  private static final ClassLoader APP = JavaSerdeTest.class.getClassLoader();

  @TempDir
  static Path work;
  private static Path jobJar;

  record Reading(String sensor, LocalDate day, List<Double> values, Map<String, Integer> tags,
      BigDecimal total) implements Serializable {}

  @BeforeAll
  static void buildJobJar() throws IOException {
    jobJar = JobJars.build(work.resolve("job"), JobJars.SAMPLE_JOB);
  }

  private static <T> T roundTrip(Object value, ClassLoader loader, Class<T> type) throws IOException {
    return JavaSerde.deserialize(JavaSerde.serialize(value), loader, type);
  }

  @Test
  void roundTripsASerialisableLambdaWithWhatItCaptures() throws Exception {
    long offset = 7;
    MapFunction<Long, Long> fn = x -> x * 3 + offset;
    @SuppressWarnings("unchecked")
    MapFunction<Long, Long> back = roundTrip(fn, APP, MapFunction.class);
    for (long x = -5; x < 5; x++) {
      assertEquals(x * 3 + 7, back.apply(x));
    }
  }

  @Test
  void roundTripsRecordsAndJdkValueTypes() throws IOException {
    Reading reading = new Reading("s-1", LocalDate.of(2024, 2, 29), List.of(1.5, -0.25),
        new TreeMap<>(Map.of("a", 1, "b", 2)), new BigDecimal("12.340"));
    Object[] values = {
        reading,
        Pair.of("key", 42L),
        new TaskAttempt(12, new StageAttemptId(new StageId(2), 1), 3, 0),
        new MapOutputLocation(3, 12, new ExecutorId("exec-1"), "10.0.0.7", 7337),
        new ShuffleId(4, 1),
        new HashPartitioner(5),
        new ArrayList<>(List.of(Pair.of(1, List.of("x")), Pair.of(2, List.of()))),
        new AtomicLong(9).get()
    };
    for (Object value : values) {
      assertEquals(value, roundTrip(value, APP, Object.class));
    }
    // java.util.concurrent.atomic is the one allowed corner of java.util.concurrent
    assertEquals(9L, roundTrip(new AtomicLong(9), APP, AtomicLong.class).get());
  }

  @Test
  void rejectsClassPathTypesOutsideTheAllowList() {
    Object[] denied = {
        new ConcurrentHashMap<>(Map.of("a", 1)),           // java.util.concurrent is denied
        new BadAttributeValueExpException("gadget"),       // javax: not allowed
        new HashMap<>(Map.of("nested", new ConcurrentHashMap<>())),
        List.of(urlOf("http://example.invalid/"))          // the URLDNS gadget's type
    };
    for (Object value : denied) {
      byte[] bytes = JavaSerde.serialize(value);
      InvalidClassException e = assertThrows(InvalidClassException.class,
          () -> JavaSerde.deserialize(bytes, APP, Object.class), value.getClass().getName());
      assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
    }
  }

  @Test
  void acceptsClassesDefinedByTheJobLoader() throws Exception {
    try (URLClassLoader job = JobJars.loader(jobJar)) {
      Class<?> pointType = job.loadClass("jobpkg.Point");
      assertSame(job, pointType.getClassLoader());
      Object point = pointType.getConstructor(long.class, long.class).newInstance(3L, 4L);

      Object back = roundTrip(List.of(point), job, List.class).get(0);
      assertSame(pointType, back.getClass());
      assertEquals(point, back);

      @SuppressWarnings("unchecked")
      MapFunction<Object, Object> tagger = (MapFunction<Object, Object>) job.loadClass("jobpkg.Functions")
          .getMethod("tagger", String.class).invoke(null, "t");
      @SuppressWarnings("unchecked")
      MapFunction<Object, Object> taggerBack = roundTrip(tagger, job, MapFunction.class);
      assertEquals("t:5", taggerBack.apply(5));

      // the job's classes do not exist for the host's own loader, and the error says which
      byte[] bytes = JavaSerde.serialize(point);
      IOException e = assertThrows(IOException.class, () -> JavaSerde.deserialize(bytes, APP, Object.class));
      assertTrue(e.getMessage().contains("jobpkg.Point"), e.getMessage());
      byte[] step = JavaSerde.serialize(Steps.map(tagger));
      e = assertThrows(IOException.class, () -> JavaSerde.deserialize(step, APP, Object.class));
      assertEquals("class not found while reading a serialised object: jobpkg.Functions", e.getMessage());
    }
  }

  @Test
  void rejectsALibraryClassNotDefinedByTheJobLoaderWithoutReadingIt() throws Exception {
    Path emptyJar = Files.createDirectories(work.resolve("empty")).toAbsolutePath();
    // "library" defines Tripwire; the job loader only delegates to it, as to a class-path library
    try (URLClassLoader library = new URLClassLoader(new URL[] {jobJar.toUri().toURL()}, APP);
        URLClassLoader job = new JobClassLoader("job", emptyJar.toUri().toURL(), library)) {
      Class<?> tripwire = library.loadClass("jobpkg.Tripwire");
      AtomicInteger read = (AtomicInteger) tripwire.getField("READ").get(null);
      byte[] bytes = JavaSerde.serialize(tripwire.getConstructor().newInstance());

      assertThrows(InvalidClassException.class, () -> JavaSerde.deserialize(bytes, job, Object.class));
      assertEquals(0, read.get(), "a rejected class must not be instantiated");

      // the same bytes read with the loader that defines the class are accepted (and counted)
      assertSame(tripwire, JavaSerde.deserialize(bytes, library, Object.class).getClass());
      assertEquals(1, read.get());
    }
  }

  @Test
  void rejectsOverDeepGraphs() throws Exception {
    assertEquals(nested(JavaSerde.MAX_DEPTH - 10), roundTrip(nested(JavaSerde.MAX_DEPTH - 10), APP, List.class));
    for (int depth : new int[] {JavaSerde.MAX_DEPTH + 10, 5_000}) {
      byte[] deep = serializeOnALargeStack(nested(depth));
      // refused by the filter, well before the reading thread's stack runs out
      InvalidClassException e = assertThrows(InvalidClassException.class,
          () -> JavaSerde.deserialize(deep, APP, List.class));
      assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
    }
  }

  @Test
  void wrongExpectedTypeFailsClearly() {
    byte[] text = JavaSerde.serialize("some text");
    InvalidClassException e = assertThrows(InvalidClassException.class,
        () -> JavaSerde.deserialize(text, APP, Long.class));
    assertTrue(e.getMessage().contains("expected java.lang.Long but read java.lang.String"), e.getMessage());

    byte[] nothing = JavaSerde.serialize(null);
    e = assertThrows(InvalidClassException.class, () -> JavaSerde.deserialize(nothing, APP, Long.class));
    assertTrue(e.getMessage().contains("but read null"), e.getMessage());
  }

  @Test
  void hostileArrayLengthIsRejectedBeforeAllocating() throws IOException {
    byte[] bytes = JavaSerde.serialize(new byte[16]);
    // a byte[] is written as: TC_ARRAY, class descriptor, int length, the bytes
    ByteBuffer.wrap(bytes).putInt(bytes.length - 16 - 4, 1_500_000_000);
    InvalidClassException e = assertThrows(InvalidClassException.class,
        () -> JavaSerde.deserialize(bytes, APP, byte[].class));
    assertTrue(e.getMessage().contains("REJECTED"), e.getMessage());
    assertArrayEquals(new byte[16], roundTrip(new byte[16], APP, byte[].class));
  }

  @Test
  void largeLegitimateArraysAndTablesPassTheLengthCheck() throws IOException {
    byte[] big = new byte[3_000_000];
    big[2_999_999] = 1;
    assertArrayEquals(big, roundTrip(big, APP, byte[].class));
    Map<Integer, Object> sparse = new HashMap<>(16, 0.1f); // the widest table HashMap reads back
    for (int i = 0; i < 10_000; i++) {
      sparse.put(i, null);
    }
    assertEquals(sparse, roundTrip(sparse, APP, Map.class));
  }

  static final class Fussy implements Serializable {
    private void readObject(java.io.ObjectInputStream in) {
      throw new IllegalStateException("fussy refuses to be read");
    }
  }

  @Test
  void failuresInsideReadObjectAreIoExceptions() {
    byte[] bytes = JavaSerde.serialize(List.of(new Fussy()));
    IOException e = assertThrows(IOException.class, () -> JavaSerde.deserialize(bytes, APP, List.class));
    assertTrue(e.getMessage().contains("fussy refuses to be read"), e.getMessage());
  }

  @Test
  void invalidFieldValuesFailAsIoExceptions() {
    byte[] bytes = JavaSerde.serialize(new HashPartitioner(7));
    // a record's fields follow its descriptor; HashPartitioner's only field is its int
    ByteBuffer.wrap(bytes).putInt(bytes.length - 4, 0);
    IOException e = assertThrows(IOException.class,
        () -> JavaSerde.deserialize(bytes, APP, HashPartitioner.class));
    assertTrue(e.getMessage().contains("numPartitions must be at least 1"), e.getMessage());
  }

  @Test
  void garbageIsAnIoException() {
    assertThrows(IOException.class, () -> JavaSerde.deserialize(new byte[] {1, 2, 3, 4, 5}, APP, Object.class));
    assertThrows(IOException.class, () -> JavaSerde.deserialize(new byte[0], APP, Object.class));
  }

  @Test
  void unserialisableValuesFailWithAHint() {
    Object lock = new Object();
    MapFunction<Long, Long> capturesLock = x -> lock.hashCode() + x;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JavaSerde.serialize(capturesLock));
    assertTrue(e.getMessage().contains("not serialisable: java.lang.Object"), e.getMessage());
  }

  /** Writing a very deep graph needs more stack than a test thread has. */
  private static byte[] serializeOnALargeStack(Object value) throws InterruptedException {
    byte[][] bytes = new byte[1][];
    Thread writer = new Thread(null, () -> bytes[0] = JavaSerde.serialize(value), "deep-writer", 256L << 20);
    writer.start();
    writer.join();
    return bytes[0];
  }

  private static List<Object> nested(int depth) {
    List<Object> list = new ArrayList<>();
    for (int i = 0; i < depth; i++) {
      List<Object> outer = new ArrayList<>();
      outer.add(list);
      list = outer;
    }
    return list;
  }

  private static URL urlOf(String spec) {
    try {
      return new URL(spec);
    } catch (java.net.MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }
}
