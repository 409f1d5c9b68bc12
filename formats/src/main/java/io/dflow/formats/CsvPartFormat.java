package io.dflow.formats;

import io.dflow.api.Pair;
import io.dflow.api.io.CsvOptions;
import io.dflow.hdfs.PartFormat;
import io.dflow.hdfs.PartWriter;
import io.dflow.hdfs.TextPartFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * CSV part files: a record becomes one row ({@code String[]} and {@code List} their elements, a
 * pair its key's fields then its value's, anything else one field), written as UTF-8 text lines
 * through {@link TextPartFormat} (so output compression applies), quoting the fields that need it.
 */
record CsvPartFormat(CsvOptions options, List<String> header, TextPartFormat text) implements PartFormat {
  @Override
  public String extension() {
    return (options.separator() == '\t' ? ".tsv" : ".csv") + text.extension();
  }

  @Override
  public PartWriter create(FileSystem fs, Path file, Configuration conf) throws IOException {
    PartWriter lines = text.create(fs, file, conf);
    if (!header.isEmpty()) {
      lines.write(row(new ArrayList<>(header)));
    }
    return new PartWriter() {
      @Override
      public void write(Object record) throws IOException {
        List<Object> fields = new ArrayList<>();
        flatten(record, fields);
        lines.write(row(fields));
      }

      @Override
      public void close() throws IOException {
        lines.close();
      }
    };
  }

  private static void flatten(Object record, List<Object> fields) {
    if (record instanceof Object[] array) {
      fields.addAll(List.of(array));
    } else if (record instanceof List<?> list) {
      fields.addAll(list);
    } else if (record instanceof Pair<?, ?> pair) {
      flatten(pair.key(), fields);
      flatten(pair.value(), fields);
    } else {
      fields.add(record);
    }
  }

  /** One row's bytes, without the line break. */
  private byte[] row(List<?> fields) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        line.append(options.separator());
      }
      Object value = fields.get(i);
      String field = value == null ? "" : value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : value.toString();
      if (needsQuotes(field)) {
        String q = String.valueOf(options.quote());
        line.append(q).append(field.replace(q, q + q)).append(q);
      } else {
        line.append(field);
      }
    }
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  private boolean needsQuotes(String field) {
    for (int i = 0; i < field.length(); i++) {
      char c = field.charAt(i);
      if (c == options.separator() || c == options.quote() || c == '\n' || c == '\r') {
        return true;
      }
    }
    return false;
  }
}
