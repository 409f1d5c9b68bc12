package io.dflow.api.pipe;

import io.dflow.api.plan.TaskInfo;
import io.dflow.api.plan.TaskScope;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One child process run over one partition: the input records are written to its stdin, a line
 * each, and its stdout comes back as lines ({@code byte[]} without their end: {@code \n},
 * {@code \r\n} or a lone {@code \r}, as Hadoop Streaming reads a child's output). Three
 * pumps move the bytes: a writer thread feeds stdin from the input iterator, a reader thread
 * moves stdout in 64 KiB chunks to the thread that iterates, and a {@link StderrChannel} thread
 * reads stderr. Bytes pass unchanged; nothing is flushed per line.
 *
 * <p>When stdout ends, the child's exit decides: a non-zero code, an exit before the child read
 * all of its input, or a failure of the input itself fails the iteration with a
 * {@link PipeFailedException} that names the command, the code (signals decoded), the task's
 * input and the last lines of the child's stderr. Counters the child reported are added to the
 * task's only when it succeeds; what else the child wrote to stderr (its last 64 KiB) is kept
 * in the executor's folder, under {@code logs/}. After the child exits, its output pumps get
 * {@code drainMillis} to finish, so a grandchild that keeps stdout open cannot hang the task.
 *
 * <p>Threading: iterate from one thread (the task's). The writer thread enters the task's
 * {@link TaskScope}, so functions upstream of the pipe keep their broadcasts and counters.
 */
public final class PipedProcess implements Iterator<byte[]>, Closeable {
  /** The counter that counts stderr lines starting {@code reporter:} that are neither a counter nor a status. */
  public static final String MALFORMED_REPORTER_LINES = "streaming.malformedReporterLines";
  private static final int CHUNK = 64 << 10;
  private static final int STDERR_LINES_SHOWN = 20;
  private static final byte[] END = new byte[0];

  private final ChildCommand command;
  private final TaskScope.Services scope;
  private final long maxLineBytes;
  private final long drainMillis;
  private final Process process;
  private final StdinWriter writer;
  private final StderrChannel stderr;
  private final Thread writerThread;
  private final Thread stdoutThread;
  private final Thread stderrThread;
  private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(16);
  private volatile IOException stdoutFailure;

  private byte[] chunk = END;
  private int pos;
  private byte[] carry = new byte[256];
  private int carried;
  /** Whether the last line ended at a {@code \r}, so a {@code \n} right after it is part of its end. */
  private boolean afterCr;
  private LineDecoder decoder = LineDecoder.Plain.BYTES;
  private Object next;
  private boolean finished;
  private volatile boolean closed;
  private long exitSeenAt;

  private PipedProcess(ChildCommand command, TaskScope.Services scope, Process process,
      Iterator<?> input, LineEncoder encoder, long maxLineBytes, long drainMillis) {
    this.command = command;
    this.scope = scope;
    this.maxLineBytes = maxLineBytes;
    this.drainMillis = drainMillis;
    this.process = process;
    String name = command.role() + "-" + process.pid();
    this.writer = new StdinWriter(process.getOutputStream(), input, encoder);
    this.stderr = new StderrChannel(process.getErrorStream(), status -> {
      if (scope != null) {
        scope.setStatus(command.role() + ": " + status);
      }
    });
    this.writerThread = daemon(name + "-stdin", () -> {
      if (scope != null) {
        TaskScope.enter(scope);
      }
      try {
        writer.run();
      } finally {
        TaskScope.exit();
      }
      if (writer.inputFailure != null) {
        process.destroyForcibly();
      }
    });
    this.stdoutThread = daemon(name + "-stdout", this::pumpStdout);
    this.stderrThread = daemon(name + "-stderr", stderr);
  }

  /**
   * Starts {@code command} in {@code workDir} with {@code input} as its stdin.
   *
   * @param scope the task's services (its counters get the child's), or null outside a task
   * @throws PipeFailedException if the command cannot be started (missing, not executable)
   */
  public static PipedProcess start(ChildCommand command, Path workDir, Iterator<?> input,
      LineEncoder encoder, TaskScope.Services scope, long maxLineBytes, long drainMillis) {
    ProcessBuilder builder = new ProcessBuilder(command.words());
    if (workDir != null) {
      builder.directory(workDir.toFile());
    }
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("DFLOW_SECRET"));
    env.putAll(command.env());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new PipeFailedException("cannot run " + command.describe() + where(scope) + ": " + reason(e));
    }
    PipedProcess piped = new PipedProcess(command, scope, process, input, encoder, maxLineBytes, drainMillis);
    piped.writerThread.start();
    piped.stdoutThread.start();
    piped.stderrThread.start();
    return piped;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !finished) {
      next = readLine();
      if (next == null) {
        finished = true;
        finish();
      }
    }
    return next != null;
  }

  @Override
  public byte[] next() {
    return (byte[]) nextRecord();
  }

  /**
   * The lines as {@code decoder} makes them into records (each made from the bytes the line was
   * read into, not from a copy of it), for a reader who iterates this instead of the process.
   */
  public Iterator<Object> decoded(LineDecoder decoder) {
    if (next != null || finished) {
      throw new IllegalStateException("decoded() must be asked for before the first line is read");
    }
    this.decoder = decoder.open();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return PipedProcess.this.hasNext();
      }

      @Override
      public Object next() {
        return nextRecord();
      }
    };
  }

  private Object nextRecord() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Object line = next;
    next = null;
    return line;
  }

  /** The last status line the child reported ({@code reporter:status:...}), or null. */
  public String status() {
    return stderr.status();
  }

  /** Kills the child if it still runs (the task stopped reading early, or failed). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (process.isAlive()) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    writerThread.interrupt();
  }

  // ---- stdout: chunks from the pump, cut into lines here

  private void pumpStdout() {
    byte[] buf = new byte[CHUNK];
    try (InputStream in = process.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        if (n > 0 && !hand(Arrays.copyOf(buf, n))) {
          return;
        }
      }
    } catch (IOException e) {
      stdoutFailure = e;
    }
    hand(END);
  }

  /** Queues {@code c} for the iterating thread; false once the iteration was closed. */
  private boolean hand(byte[] c) {
    try {
      while (!chunks.offer(c, 100, TimeUnit.MILLISECONDS)) {
        if (closed) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The next line of stdout, cut as Hadoop's {@code LineReader} cuts a child's output: at
   * {@code \n}, at {@code \r\n} and at a lone {@code \r}, none of them kept; decoded, or null
   * at the end.
   */
  private Object readLine() {
    while (true) {
      if (afterCr && pos < chunk.length) {
        if (chunk[pos] == '\n') {
          pos++; // the \n of a \r\n: the line already ended at its \r
        }
        afterCr = false;
      }
      byte[] c = chunk;
      for (int i = pos; i < c.length; i++) {
        byte b = c[i];
        if (b <= '\r' && (b == '\n' || b == '\r')) { // one comparison for most bytes of text
          Object line = cut(i);
          pos = i + 1;
          afterCr = b == '\r';
          return line;
        }
      }
      append(chunk, pos, chunk.length - pos, true);
      chunk = takeChunk();
      pos = 0;
      if (chunk == END) {
        return carried == 0 ? null : cut(0);
      }
    }
  }

  /** The line made of what is carried plus {@code chunk[pos, end)}, decoded. */
  private Object cut(int end) {
    if (carried == 0) {
      return decoder.decode(chunk, pos, end);
    }
    append(chunk, pos, end - pos, false);
    int length = carried;
    carried = 0;
    return decoder.decode(carry, 0, length);
  }

  /** Carries {@code bytes[from, from + length)} over to the next chunk ({@code limited}: failing past the longest line). */
  private void append(byte[] bytes, int from, int length, boolean limited) {
    if (length == 0) {
      return;
    }
    if (limited && (long) carried + length > maxLineBytes) {
      close();
      throw new PipeFailedException(command.describe() + where(scope) + " wrote a line longer than "
          + maxLineBytes + " bytes (raise dflow.input.maxLineBytes)");
    }
    if (carried + length > carry.length) {
      carry = Arrays.copyOf(carry, Math.max(carried + length, carry.length * 2));
    }
    System.arraycopy(bytes, from, carry, carried, length);
    carried += length;
  }

  /** The next stdout chunk, or {@link #END}: at the pump's end, or {@code drainMillis} after the child exited. */
  private byte[] takeChunk() {
    try {
      while (true) {
        byte[] c = chunks.poll(100, TimeUnit.MILLISECONDS);
        if (c != null) {
          return c;
        }
        if (!process.isAlive()) {
          long now = System.nanoTime();
          if (exitSeenAt == 0) {
            exitSeenAt = now;
          } else if (now - exitSeenAt > drainMillis * 1_000_000) {
            return END; // a grandchild holds stdout open: what it writes from now on is not ours
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new PipeFailedException(command.describe() + " interrupted");
    }
  }

  // ---- the end: the child's exit decides

  private void finish() {
    try {
      end();
    } finally {
      saveStderr();
    }
  }

  /** Keeps what the child wrote to stderr in the executor's folder: {@code logs/<attempt>.<role>-<pid>.stderr}. */
  private void saveStderr() {
    if (scope == null) {
      return;
    }
    try {
      stderr.saveTo(scope.sharedDir().resolve("logs")
          .resolve(scope.task().attemptId() + "." + command.role() + "-" + process.pid() + ".stderr"));
    } catch (IOException | RuntimeException e) {
      // a log that cannot be kept must not fail the task
    }
  }

  private void end() {
    int code;
    boolean inputWritten;
    try {
      code = process.waitFor();
      if (code != 0 && writer.inputFailure == null) {
        writerThread.interrupt(); // the rest of the input would go nowhere
      }
      writerThread.join(drainMillis);
      inputWritten = !writerThread.isAlive();
      stderrThread.join(drainMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new PipeFailedException(command.describe() + " interrupted");
    }
    if (writer.inputFailure != null) {
      Throwable t = writer.inputFailure;
      if (t instanceof RuntimeException r) {
        throw r;
      }
      if (t instanceof Error e) {
        throw e;
      }
      throw new PipeFailedException("the input of " + command.describe() + " failed: " + t, t);
    }
    if (code != 0) {
      throw failure("exited with " + ExitStatus.describe(code));
    }
    if (!inputWritten) {
      close();
      throw failure(String.format(Locale.ROOT, "exited (code 0) after reading %,d input bytes, before the "
          + "rest of its input was written", writer.delivered));
    }
    if (writer.broken != null) {
      throw failure(String.format(Locale.ROOT, "exited (code 0) after reading %,d of %,d input bytes",
          writer.delivered, writer.total));
    }
    if (stdoutFailure != null) {
      throw failure("could not be read: " + stdoutFailure.getMessage());
    }
    if (scope != null) {
      stderr.counters().forEach(scope::addToCounter);
    }
  }

  private PipeFailedException failure(String what) {
    StringBuilder message = new StringBuilder(command.describe()).append(' ').append(what).append(where(scope));
    String position = scope == null ? null : scope.inputPosition();
    if (position != null && writer.total > 0) {
      message.append(", the last input line sent from ").append(position);
    }
    List<String> lines = stderr.lastLines(STDERR_LINES_SHOWN);
    if (lines.isEmpty()) {
      message.append("; its stderr was empty");
    } else {
      message.append("; the last lines of its stderr:");
      for (String line : lines) {
        message.append("\n  ").append(line);
      }
    }
    return new PipeFailedException(message.toString());
  }

  /** {@code on split F:0+100 (task attempt_...)}, or nothing outside a task. */
  private static String where(TaskScope.Services scope) {
    if (scope == null) {
      return "";
    }
    TaskInfo task = scope.task();
    String input = task.split() != null ? "split " + task.split() : "partition " + task.partition();
    return " on " + input + " (" + task.attemptId() + ")";
  }

  private static String reason(IOException e) {
    String m = String.valueOf(e.getMessage());
    int error = m.indexOf("error=");
    int comma = error < 0 ? -1 : m.indexOf(", ", error);
    return comma < 0 ? m : m.substring(comma + 2); // "No such file or directory", "Permission denied"
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * The stdin pump: writes the input through its own buffer (no locking per write), and keeps
   * counting the input it could no longer deliver once the child stopped reading.
   */
  private static final class StdinWriter extends OutputStream implements Runnable {
    private final OutputStream pipe;
    private final Iterator<?> input;
    private final LineEncoder encoder;
    private final byte[] buf = new byte[CHUNK];
    private int count;
    /** Read by the iterating thread after joining this one (plain fields: they change per write). */
    long total;
    long delivered;
    IOException broken;
    volatile Throwable inputFailure;

    StdinWriter(OutputStream pipe, Iterator<?> input, LineEncoder encoder) {
      this.pipe = pipe;
      this.input = input;
      this.encoder = encoder;
    }

    @Override
    public void run() {
      try {
        while (input.hasNext()) {
          encoder.write(input.next(), this);
          write('\n');
          if (broken != null && Thread.currentThread().isInterrupted()) {
            return; // the child failed: no one wants the count of the rest
          }
        }
        drain();
      } catch (Throwable t) {
        if (!Thread.currentThread().isInterrupted()) {
          inputFailure = t; // the input (or its encoder) failed: writing to the child never throws
        }
      } finally {
        try {
          pipe.close();
        } catch (IOException e) {
          // the child is gone: its exit code says why
        }
      }
    }

    @Override
    public void write(int b) throws IOException {
      if (count == buf.length) {
        drain();
      }
      buf[count++] = (byte) b;
      total++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      total += len;
      if (broken != null) {
        return;
      }
      if (len > buf.length - count) {
        drain();
        if (len > buf.length) {
          deliver(b, off, len);
          return;
        }
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    private void drain() throws IOException {
      if (count > 0) {
        int n = count;
        count = 0;
        deliver(buf, 0, n);
      }
    }

    private void deliver(byte[] b, int off, int len) {
      if (broken != null) {
        return;
      }
      try {
        pipe.write(b, off, len);
        delivered += len;
      } catch (IOException e) {
        broken = e;
      }
    }
  }
}
