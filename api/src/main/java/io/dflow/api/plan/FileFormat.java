package io.dflow.api.plan;

import io.dflow.api.io.CsvOptions;
import java.io.Serializable;
import java.util.List;

/**
 * How the records of a file source or a save are laid out in files. Every format is read by byte
 * ranges: a task reads the records that start in its range (text lines, CSV rows), follow the
 * first sync mark in it (SequenceFiles), or whose record batch or row group starts in it (Arrow
 * and Parquet files), so the planner cuts every format's files the same way.
 */
public sealed interface FileFormat extends Serializable
    permits FileFormat.Text, FileFormat.Csv, FileFormat.Sequence, FileFormat.Columnar {

  /** The source's name in plans: {@code textFile}, {@code csvFile}, ... */
  String sourceName();

  /** The save's name in plans: {@code saveAsTextFile}, ... */
  String saveName();

  /**
   * Whether {@code file} may be cut into several splits. Text-like formats follow the file's
   * compression codec (listed with the file); the others are cut at their own sync points.
   */
  boolean splittable(InputFile file);

  /** What plan text adds after the path, or an empty string. */
  default String detail() {
    return "";
  }

  /** Lines, decoded as UTF-8 ({@code raw == false}) or as their bytes. */
  record Text(boolean raw) implements FileFormat {
    @Override
    public String sourceName() {
      return raw ? "textFileAsBytes" : "textFile";
    }

    @Override
    public String saveName() {
      return "saveAsTextFile";
    }

    @Override
    public boolean splittable(InputFile file) {
      return file.splittable();
    }
  }

  /**
   * Rows of comma- (or otherwise) separated fields, as {@code String[]}; {@code header} is the
   * line a save starts every part file with (empty: none).
   */
  record Csv(CsvOptions options, List<String> header) implements FileFormat {
    public Csv {
      header = List.copyOf(header);
    }

    @Override
    public String sourceName() {
      return "csvFile";
    }

    @Override
    public String saveName() {
      return "saveAsCsvFile";
    }

    @Override
    public boolean splittable(InputFile file) {
      return file.splittable() && !options.multiLine();
    }

    @Override
    public String detail() {
      return options.describe();
    }
  }

  /** Hadoop SequenceFiles of Writables, as pairs; the Writable classes follow the pair's encoders. */
  record Sequence() implements FileFormat {
    @Override
    public String sourceName() {
      return "sequenceFile";
    }

    @Override
    public String saveName() {
      return "saveAsSequenceFile";
    }

    @Override
    public boolean splittable(InputFile file) {
      return true;
    }
  }

  /**
   * A format whose files hold typed columns, cut at their own record batches or row groups.
   * {@link #columns} names the file's columns the encoder's fields bind to, in order; empty binds
   * them by position.
   */
  sealed interface Columnar extends FileFormat permits Arrow, Parquet {
    /** The file's columns the encoder's fields bind to, in order; empty: by position. */
    List<String> columns();

    @Override
    default boolean splittable(InputFile file) {
      return true;
    }

    @Override
    default String detail() {
      return columns().isEmpty() ? "" : "columns " + String.join(", ", columns());
    }
  }

  /** Arrow IPC files (the random-access "file" format). */
  record Arrow(List<String> columns) implements Columnar {
    public Arrow {
      columns = List.copyOf(columns);
    }

    @Override
    public String sourceName() {
      return "arrowFile";
    }

    @Override
    public String saveName() {
      return "saveAsArrowFile";
    }
  }

  /** Parquet files; only the bound columns are read. */
  record Parquet(List<String> columns) implements Columnar {
    public Parquet {
      columns = List.copyOf(columns);
    }

    @Override
    public String sourceName() {
      return "parquetFile";
    }

    @Override
    public String saveName() {
      return "saveAsParquetFile";
    }
  }

  /** True for the formats whose files hold typed columns (Arrow, Parquet). */
  default boolean columnar() {
    return this instanceof Columnar;
  }
}
