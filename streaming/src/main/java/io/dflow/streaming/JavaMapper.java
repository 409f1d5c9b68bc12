package io.dflow.streaming;

import io.dflow.api.function.PartitionFunction;
import io.dflow.api.plan.TaskScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.Mapper;

/**
 * A Java {@code -mapper} class run over a map task's lines, as Hadoop runs one: configured with
 * the job's settings, {@code map} once per record, {@code close} at the end. With
 * {@code TextInputFormat} the record is the line's byte offset (a {@link LongWritable}) and the
 * line (a {@link Text}); with {@code KeyValueTextInputFormat} the line's key and value, both
 * {@link Text}. The offset is where the line starts in its file, as the task's input reader
 * tells it (so {@code \r\n} line ends and splits packing several files count right).
 *
 * @param keyValueInput how a line is cut into key and value, or null for {@code TextInputFormat}
 * @param outputSeparator null: collected pairs go to the shuffle; else (a map-only job) they are
 *     written as lines joined by it
 * @param <R> a {@code Pair<byte[], byte[]>} or a line
 */
record JavaMapper<R>(String className, Map<String, String> settings, FieldSplit keyValueInput, byte[] outputSeparator)
    implements PartitionFunction<byte[], R> {

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<R> apply(Iterator<byte[]> lines) {
    Mapper<Object, Object, Object, Object> mapper = HadoopClasses.instantiate(className, Mapper.class, settings);
    Collected<R> out = (Collected<R>) (outputSeparator == null ? Collected.pairs() : Collected.lines(outputSeparator));
    TaskReporter reporter = new TaskReporter("mapper", TaskScope.current());
    TaskScope.Services scope = TaskScope.current();
    LongWritable offset = new LongWritable();
    Text key = new Text();
    Text value = new Text();
    return new Iterator<>() {
      private boolean closed;

      @Override
      public boolean hasNext() {
        try {
          while (out.isEmpty()) {
            if (lines.hasNext()) {
              byte[] line = lines.next();
              if (keyValueInput == null) {
                value.set(line);
                offset.set(lineStart(scope, offset.get()));
                mapper.map(offset, value, out, reporter);
                offset.set(offset.get() + line.length + 1); // the next line's start, if the reader cannot tell
              } else {
                int end = keyValueInput.keyEnd(line);
                int valueStart = end < 0 ? line.length : end + keyValueInput.separator().length;
                key.set(line, 0, end < 0 ? line.length : end);
                value.set(line, valueStart, line.length - valueStart);
                mapper.map(key, value, out, reporter);
              }
            } else if (!closed) {
              closed = true;
              mapper.close();
            } else {
              return false;
            }
          }
          return true;
        } catch (IOException e) {
          throw new UncheckedIOException("-mapper " + className + " failed: " + e.getMessage(), e);
        }
      }

      @Override
      public R next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.take();
      }
    };
  }

  /** Where the line just read starts in its file ({@code file F at byte offset N}), else {@code guess}. */
  private static long lineStart(TaskScope.Services scope, long guess) {
    String position = scope == null ? null : scope.inputPosition();
    if (position == null || !position.contains(" at byte offset ")) {
      return guess;
    }
    try {
      return Long.parseLong(position.substring(position.lastIndexOf(' ') + 1));
    } catch (NumberFormatException e) {
      return guess;
    }
  }
}
