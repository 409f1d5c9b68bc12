package io.dflow.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Encoder;
import io.dflow.api.Encoders;
import java.util.List;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;

class RecordLayoutTest {

  @Test
  void scalarsAreOneNullableValueColumn() {
    assertColumns(Encoders.strings(), List.of("value"), List.of(ArrowType.Utf8.INSTANCE));
    assertColumns(Encoders.longs(), List.of("value"), List.of(new ArrowType.Int(64, true)));
    assertColumns(Encoders.ints(), List.of("value"), List.of(new ArrowType.Int(32, true)));
    assertColumns(Encoders.doubles(), List.of("value"),
        List.of(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)));
    assertColumns(Encoders.booleans(), List.of("value"), List.of(ArrowType.Bool.INSTANCE));
    assertColumns(Encoders.bytes(), List.of("value"), List.of(ArrowType.Binary.INSTANCE));
  }

  @Test
  void javaTypesAreOneBinaryColumn() {
    assertColumns(Encoders.java(TestRecords.Point.class), List.of("value"),
        List.of(ArrowType.Binary.INSTANCE));
  }

  @Test
  void pairsAreKeyAndValueColumnsWithNonScalarComponentsAsBinary() {
    assertColumns(Encoders.pairs(Encoders.strings(), Encoders.longs()), List.of("key", "value"),
        List.of(ArrowType.Utf8.INSTANCE, new ArrowType.Int(64, true)));
    assertColumns(
        Encoders.pairs(Encoders.pairs(Encoders.ints(), Encoders.ints()),
            Encoders.java(TestRecords.Point.class)),
        List.of("key", "value"), List.of(ArrowType.Binary.INSTANCE, ArrowType.Binary.INSTANCE));
  }

  @Test
  void schemaNamesTheEncoder() {
    Encoder<?> encoder = Encoders.pairs(Encoders.strings(), Encoders.longs());
    Schema schema = RecordLayout.of(encoder).schema();
    assertEquals("pair<string,long>",
        schema.getCustomMetadata().get(RecordLayout.ENCODER_METADATA_KEY));
  }

  private static void assertColumns(Encoder<?> encoder, List<String> names,
      List<ArrowType> types) {
    List<Field> fields = RecordLayout.of(encoder).schema().getFields();
    assertEquals(names, fields.stream().map(Field::getName).toList(), encoder.describe());
    assertEquals(types, fields.stream().map(Field::getType).toList(), encoder.describe());
    assertTrue(fields.stream().allMatch(Field::isNullable), encoder.describe());
  }
}
