package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import io.dflow.api.Pair;
import io.dflow.arrow.TestRecords.Point;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The row layout of {@link RowCodec}: every field kind, alone and as the key or value of a pair,
 * with nulls, reads back equal to what was written (byte arrays by content, doubles bit for
 * bit); {@link RowCodec#readKey} returns the key and leaves the input exactly after the record;
 * and damaged rows (truncated, a bad presence marker, an over-long or negative length) fail
 * with {@link CorruptShuffleDataException} and nothing else.
 */
class RowCodecTest {
  /** A NaN with a payload that {@code Double.doubleToLongBits} would collapse. */
  private static final long ODD_NAN_BITS = 0x7ff0_0000_0000_0001L;

  /** Sample values of each field kind, nulls included. */
  private static Map<String, Sample> samples() {
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    byte[] random = new byte[300];
    new Random(11).nextBytes(random);
    Map<String, Sample> s = new LinkedHashMap<>();
    s.put("string", new Sample(Encoders.strings(), Arrays.asList("", "a", "naïve", "日本語", "😀 emoji", "\u0000",
        "x".repeat(200), "ä€😀".repeat(7000), null)));
    s.put("long", new Sample(Encoders.longs(), Arrays.asList(Long.MIN_VALUE, -1L, 0L, 1L, Long.MAX_VALUE, null)));
    s.put("int", new Sample(Encoders.ints(), Arrays.asList(Integer.MIN_VALUE, -7, 0, Integer.MAX_VALUE, null)));
    s.put("double", new Sample(Encoders.doubles(), Arrays.asList(Double.NaN, -0.0, 0.0, Double.NEGATIVE_INFINITY,
        Double.POSITIVE_INFINITY, Double.MIN_VALUE, -1.5, Double.longBitsToDouble(ODD_NAN_BITS), null)));
    s.put("boolean", new Sample(Encoders.booleans(), Arrays.asList(true, false, null)));
    s.put("bytes", new Sample(Encoders.bytes(), Arrays.asList(new byte[0], new byte[] {0}, everyByte, random, null)));
    s.put("java", new Sample(Encoders.java(Point.class), Arrays.asList(new Point(1, "p"), new Point(-2, null),
        new Point(Integer.MAX_VALUE, "ü".repeat(100)), null)));
    return s;
  }

  private record Sample(Encoder<?> encoder, List<Object> values) {}

  /** Every scalar encoder alone, and every (key, value) combination of them as pairs, with sample records. */
  private static Map<String, Sample> codecs() {
    Map<String, Sample> scalars = samples();
    Map<String, Sample> all = new LinkedHashMap<>(scalars);
    for (Map.Entry<String, Sample> k : scalars.entrySet()) {
      for (Map.Entry<String, Sample> v : scalars.entrySet()) {
        List<Object> records = new ArrayList<>();
        for (Object key : k.getValue().values()) {
          for (Object value : v.getValue().values()) {
            records.add(Pair.of(key, value));
          }
        }
        all.put("pair<" + k.getKey() + "," + v.getKey() + ">", new Sample(
            Encoders.pairs(k.getValue().encoder(), v.getValue().encoder()), records));
      }
    }
    // a pair nested as a value travels Java-serialised
    all.put("pair<string,pair<long,string>>", new Sample(
        Encoders.pairs(Encoders.strings(), Encoders.pairs(Encoders.longs(), Encoders.strings())),
        List.of(Pair.of("a", Pair.of(1L, "b")), Pair.of("c", Pair.of(null, null)), Pair.of("d", null))));
    return all;
  }

  private static RowCodec codec(Encoder<?> encoder) {
    return RowCodec.of(encoder, TestRecords.POLICY);
  }

  /** Equal as the test means it: byte arrays by content, doubles by their raw bits (NaN payloads, -0.0). */
  private static Object comparable(Object v) {
    if (v instanceof Double d) {
      return "double:" + Long.toHexString(Double.doubleToRawLongBits(d));
    }
    if (v instanceof Pair<?, ?> p) {
      return Pair.of(comparable(p.key()), comparable(p.value()));
    }
    return TestRecords.canonical(v);
  }

  private static Object keyOf(Object record) {
    return record instanceof Pair<?, ?> p ? p.key() : record;
  }

  @Test
  void everyFieldKindAndPairRoundTripsInOneBuffer() throws IOException {
    for (Map.Entry<String, Sample> e : codecs().entrySet()) {
      String name = e.getKey();
      RowCodec codec = codec(e.getValue().encoder());
      List<Object> records = e.getValue().values();
      RowOutput out = new RowOutput(0);
      int[] ends = new int[records.size()];
      for (int i = 0; i < records.size(); i++) {
        int before = out.length();
        int n = codec.write(records.get(i), out);
        assertEquals(out.length() - before, n, name + ": write returns the bytes it appended");
        ends[i] = out.length();
      }

      RowInput in = new RowInput().reset(out.array(), 0, out.length());
      for (int i = 0; i < records.size(); i++) {
        assertTrue(in.hasMore(), name);
        Object back = codec.read(in);
        assertEquals(comparable(records.get(i)), comparable(back), name + " record " + i);
        assertEquals(ends[i], in.position(), name + ": read stops at the end of record " + i);
      }
      assertFalse(in.hasMore(), name);

      in.reset(out.array(), 0, out.length());
      for (int i = 0; i < records.size(); i++) {
        Object key = codec.readKey(in);
        assertEquals(comparable(keyOf(records.get(i))), comparable(key), name + " key of record " + i);
        assertEquals(ends[i], in.position(), name + ": readKey skips the whole value of record " + i);
      }
    }
  }

  @Test
  void rowsAreReadFromTheMiddleOfABuffer() throws IOException {
    RowCodec codec = codec(Encoders.pairs(Encoders.strings(), Encoders.bytes()));
    RowOutput out = new RowOutput(4);
    codec.write(Pair.of("first", new byte[] {1, 2}), out);
    int from = out.length();
    codec.write(Pair.of("second", new byte[] {3}), out);
    int to = out.length();
    codec.write(Pair.of("third", new byte[0]), out);
    RowInput in = new RowInput().reset(out.array(), from, to);
    assertEquals(comparable(Pair.of("second", new byte[] {3})), comparable(codec.read(in)));
    assertFalse(in.hasMore());
    assertThrows(CorruptShuffleDataException.class, () -> codec.read(in), "the region ends there");
  }

  @Test
  void theLayoutIsAsCompactAsDocumented() throws IOException {
    assertEquals(1 + 8, rowLength(Encoders.longs(), 5L));
    assertEquals(1 + 4, rowLength(Encoders.ints(), 5));
    assertEquals(1 + 8, rowLength(Encoders.doubles(), 5.0));
    assertEquals(1 + 1, rowLength(Encoders.booleans(), true));
    assertEquals(1, rowLength(Encoders.strings(), null));
    assertEquals(1 + 1 + 3, rowLength(Encoders.strings(), "abc"));
    assertEquals(1 + 1 + 2 + 3, rowLength(Encoders.strings(), "ä€"), "UTF-8, not UTF-16");
    assertEquals(1 + 2 + 200, rowLength(Encoders.bytes(), new byte[200]), "a two-byte length from 128 on");
    assertEquals(1 + 1 + 1 + 8, rowLength(Encoders.pairs(Encoders.strings(), Encoders.longs()), Pair.of("", 1L)));
    assertEquals(2, rowLength(Encoders.pairs(Encoders.strings(), Encoders.longs()), Pair.of(null, null)));
  }

  private static int rowLength(Encoder<?> encoder, Object record) throws IOException {
    RowOutput out = new RowOutput(0);
    int n = codec(encoder).write(record, out);
    assertEquals(n, out.length());
    return n;
  }

  /** One row of each codec with every field present, and the bytes of each. */
  private static Map<String, byte[]> fullRows() throws IOException {
    Map<String, byte[]> rows = new LinkedHashMap<>();
    for (Map.Entry<String, Sample> e : codecs().entrySet()) {
      Object record = e.getValue().values().stream()
          .filter(r -> r != null && !(r instanceof Pair<?, ?> p && (p.key() == null || p.value() == null)))
          .reduce((a, b) -> b).orElseThrow(); // the last: the longest strings and arrays
      RowOutput out = new RowOutput(0);
      codec(e.getValue().encoder()).write(record, out);
      rows.put(e.getKey(), Arrays.copyOf(out.array(), out.length()));
    }
    return rows;
  }

  private static Encoder<?> encoderOf(String name) {
    return codecs().get(name).encoder();
  }

  @Test
  void everyTruncationOfARowIsCorruption() throws IOException {
    for (Map.Entry<String, byte[]> e : fullRows().entrySet()) {
      RowCodec codec = codec(encoderOf(e.getKey()));
      byte[] row = e.getValue();
      // the backing array stays whole: only the region's end may stop the reader
      for (int cut = 0; cut < row.length; cut = cut < 64 ? cut + 1 : cut + 97) {
        int end = cut;
        assertThrows(CorruptShuffleDataException.class, () -> codec.read(new RowInput().reset(row, 0, end)),
            e.getKey() + " cut to " + end + " of " + row.length + " bytes");
        assertThrows(CorruptShuffleDataException.class, () -> codec.readKey(new RowInput().reset(row, 0, end)),
            e.getKey() + " cut to " + end + " of " + row.length + " bytes, key only");
      }
      assertEquals(row.length, readWhole(codec, row), e.getKey());
    }
  }

  private static int readWhole(RowCodec codec, byte[] row) throws IOException {
    RowInput in = new RowInput().reset(row, 0, row.length);
    codec.read(in);
    return in.position();
  }

  @Test
  void aBadPresenceMarkerIsCorruptionInKeyOrValue() throws IOException {
    for (Map.Entry<String, byte[]> e : fullRows().entrySet()) {
      RowCodec codec = codec(encoderOf(e.getKey()));
      byte[] row = e.getValue();
      int valueMarker = e.getKey().startsWith("pair<") ? keyLength(encoderOf(e.getKey()), row) : -1;
      for (int marker = 2; marker < 256; marker++) {
        byte[] badKey = row.clone();
        badKey[0] = (byte) marker;
        CorruptShuffleDataException k = assertThrows(CorruptShuffleDataException.class,
            () -> codec.read(new RowInput().reset(badKey, 0, badKey.length)), e.getKey() + " key marker " + marker);
        assertTrue(k.getMessage().contains("field marker of " + marker + " at offset 0"), k.getMessage());
        assertThrows(CorruptShuffleDataException.class,
            () -> codec.readKey(new RowInput().reset(badKey, 0, badKey.length)), e.getKey() + " key marker " + marker);
        if (valueMarker > 0) {
          byte[] badValue = row.clone();
          badValue[valueMarker] = (byte) marker;
          assertThrows(CorruptShuffleDataException.class,
              () -> codec.read(new RowInput().reset(badValue, 0, badValue.length)),
              e.getKey() + " value marker " + marker);
          assertThrows(CorruptShuffleDataException.class,
              () -> codec.readKey(new RowInput().reset(badValue, 0, badValue.length)),
              e.getKey() + " value marker " + marker + ", key only");
        }
      }
    }
  }

  /** The bytes of a pair row's key field: the row of the key alone. */
  private static int keyLength(Encoder<?> pairEncoder, byte[] row) throws IOException {
    Encoder<?> keyEncoder = ((Encoder.PairOf<?, ?>) pairEncoder).key();
    RowInput in = new RowInput().reset(row, 0, row.length);
    codec(keyEncoder).read(in);
    return in.position();
  }

  @Test
  void overLongAndNegativeLengthsAreCorruption() throws IOException {
    List<Encoder<?>> lengthFields = List.of(Encoders.strings(), Encoders.bytes(), Encoders.java(Point.class));
    byte[][] lengths = {
        {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, // six bytes for an int
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff},
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}, // -1
        {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}, // Integer.MIN_VALUE
        {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07}, // Integer.MAX_VALUE: more than is there
        {(byte) 0x80}, // the number itself is cut short
    };
    for (Encoder<?> field : lengthFields) {
      for (byte[] length : lengths) {
        byte[] row = new byte[1 + length.length + 16];
        row[0] = 1;
        System.arraycopy(length, 0, row, 1, length.length);
        String what = field.describe() + " with length bytes " + java.util.HexFormat.of().formatHex(length);
        int end = length.length == 1 ? 2 : row.length;
        assertThrows(CorruptShuffleDataException.class, () -> codec(field).read(new RowInput().reset(row, 0, end)),
            what);
        // the same damage in a pair's value, which readKey skips rather than reads
        byte[] pairRow = new byte[2 + 8 + row.length];
        pairRow[0] = 1;
        System.arraycopy(row, 0, pairRow, 9, row.length);
        RowCodec pairs = codec(Encoders.pairs(Encoders.longs(), field));
        int pairEnd = 9 + end;
        assertThrows(CorruptShuffleDataException.class, () -> pairs.read(new RowInput().reset(pairRow, 0, pairEnd)),
            what + " as a value");
        assertThrows(CorruptShuffleDataException.class,
            () -> pairs.readKey(new RowInput().reset(pairRow, 0, pairEnd)), what + " as a skipped value");
      }
    }
    CorruptShuffleDataException e = assertThrows(CorruptShuffleDataException.class,
        () -> codec(Encoders.strings()).read(new RowInput().reset(new byte[] {1, (byte) 0x80, (byte) 0x80,
            (byte) 0x80, (byte) 0x80, (byte) 0x80, 1}, 0, 7)));
    assertTrue(e.getMessage().contains("over-long"), e.getMessage());
  }

  /**
   * Random damage to a buffer of rows: each row decodes or fails as corruption; a damaged
   * Java-serialised value may also fail as the IOException of deserialisation. Nothing else,
   * and never an unchecked exception.
   */
  @Test
  void randomDamageFailsOnlyAsCorruption() throws IOException {
    Random random = new Random(5);
    int rejected = 0;
    for (Map.Entry<String, Sample> e : codecs().entrySet()) {
      RowCodec codec = codec(e.getValue().encoder());
      boolean java = e.getKey().contains("java") || e.getKey().equals("pair<string,pair<long,string>>");
      RowOutput out = new RowOutput(0);
      for (Object record : e.getValue().values()) {
        codec.write(record, out);
      }
      byte[] clean = Arrays.copyOf(out.array(), out.length());
      for (int round = 0; round < 60; round++) {
        byte[] damaged = clean.clone();
        for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
          damaged[random.nextInt(damaged.length)] ^= (byte) (1 + random.nextInt(255));
        }
        boolean keysOnly = round % 2 == 1;
        RowInput in = new RowInput().reset(damaged, 0, damaged.length);
        try {
          while (in.hasMore()) {
            int before = in.position();
            if (keysOnly) {
              codec.readKey(in);
            } else {
              codec.read(in);
            }
            assertTrue(in.position() > before, "every row takes bytes");
          }
        } catch (CorruptShuffleDataException c) {
          rejected++;
        } catch (IOException io) {
          if (!java) {
            fail(e.getKey() + " round " + round + ": not reported as corruption", io);
          }
          rejected++;
        } catch (RuntimeException | Error x) {
          fail(e.getKey() + " round " + round + " escaped as " + x, x);
        }
      }
    }
    assertTrue(rejected > 600, "most damage shows, was " + rejected);
  }
}
