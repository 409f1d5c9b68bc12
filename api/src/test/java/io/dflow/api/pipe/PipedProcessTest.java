package io.dflow.api.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.plan.FileSplit;
import io.dflow.api.plan.TaskInfo;
import io.dflow.api.plan.TaskScope;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real child processes ({@code cat}, {@code sh}, {@code head}) through the three pumps. */
class PipedProcessTest {
  private static final long MAX_LINE = 1 << 20;
  private static final long DRAIN = 500;

  @TempDir
  Path dir;

  @Test
  void bytesPassThroughUnchanged() {
    Random random = new Random(7);
    List<byte[]> lines = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      byte[] line = new byte[random.nextInt(200)];
      for (int j = 0; j < line.length; j++) {
        byte b;
        do {
          b = (byte) random.nextInt(256); // any byte, UTF-8 or not, but the terminators
        } while (b == '\n' || b == '\r');
        line[j] = b;
      }
      lines.add(line);
    }
    List<byte[]> back = drain(PipedProcess.start(command("cat"), null, lines.iterator(), LineEncoder.TEXT, null,
        MAX_LINE, DRAIN));
    assertEquals(lines.size(), back.size());
    for (int i = 0; i < lines.size(); i++) {
      assertArrayEquals(lines.get(i), back.get(i), "line " + i);
    }
  }

  @Test
  void crLfEndingsAreStrippedAndALastLineWithoutNewlineKept() {
    List<byte[]> back = drain(PipedProcess.start(command("printf 'a\\r\\nb\\n\\nlast'"), null,
        List.of().iterator(), LineEncoder.TEXT, null, MAX_LINE, DRAIN));
    assertEquals(List.of("a", "b", "", "last"), back.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
  }

  @Test
  void aLoneCrEndsALineAsInHadoopsLineReader() throws IOException {
    // random bytes with many \r, \n and \r\n, so some fall on the 64 KiB chunk boundaries
    Random random = new Random(3);
    byte[] text = new byte[600_000];
    byte[] alphabet = {'a', 'b', '\t', (byte) 0xe9, '\r', '\n', '\r', '\n'};
    for (int i = 0; i < text.length; i++) {
      text[i] = alphabet[random.nextInt(alphabet.length)];
    }
    Path file = Files.write(dir.resolve("mixed-ends.bin"), text);
    List<byte[]> back = drain(PipedProcess.start(command("cat " + file), null, List.of().iterator(),
        LineEncoder.TEXT, null, MAX_LINE, DRAIN));
    List<byte[]> want = linesEndingAtCrLfOrEither(text);
    assertEquals(want.size(), back.size());
    for (int i = 0; i < want.size(); i++) {
      assertArrayEquals(want.get(i), back.get(i), "line " + i);
    }
    assertEquals(List.of("a", "b", "", "c", "last"), drain(PipedProcess.start(command("printf 'a\\rb\\r\\r\\nc\\rlast'"),
        null, List.of().iterator(), LineEncoder.TEXT, null, MAX_LINE, DRAIN)).stream()
        .map(b -> new String(b, StandardCharsets.UTF_8)).toList());
  }

  @Test
  void aDecoderGetsEachLineWholeWhereverTheChunksEnd() throws IOException {
    // short lines and lines longer than a 64 KiB chunk, so lines are cut both in place and carried over
    Random random = new Random(5);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      int length = random.nextInt(10) == 0 ? 70_000 + random.nextInt(90_000) : random.nextInt(40);
      for (int j = 0; j < length; j++) {
        text.append((char) ('a' + random.nextInt(26)));
      }
      text.append(random.nextBoolean() ? "\n" : "\r\n");
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Path file = Files.write(dir.resolve("long-lines.txt"), bytes);
    Iterator<Object> lines = PipedProcess.start(command("cat " + file), null, List.of().iterator(), LineEncoder.TEXT,
        null, MAX_LINE, DRAIN).decoded(LineDecoder.Plain.UTF8);
    List<Object> back = new ArrayList<>();
    lines.forEachRemaining(back::add);
    List<String> want = linesEndingAtCrLfOrEither(bytes).stream()
        .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    assertEquals(want, back);
  }

  /** The reference: a line ends at \r\n, \r or \n; a last line without an end is kept. */
  private static List<byte[]> linesEndingAtCrLfOrEither(byte[] text) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    int i = 0;
    while (i < text.length) {
      if (text[i] == '\r' || text[i] == '\n') {
        lines.add(Arrays.copyOfRange(text, start, i));
        i += text[i] == '\r' && i + 1 < text.length && text[i + 1] == '\n' ? 2 : 1;
        start = i;
      } else {
        i++;
      }
    }
    if (start < text.length) {
      lines.add(Arrays.copyOfRange(text, start, text.length));
    }
    return lines;
  }

  @Test
  void nonZeroExitNamesTheCodeAndTheEndOfStderr() {
    PipedProcess child = PipedProcess.start(command("sh -c 'cat >/dev/null; echo Traceback >&2; echo ValueError: boom >&2; exit 3'"),
        null, List.of("x", "y").iterator(), LineEncoder.TEXT, null, MAX_LINE, DRAIN);
    PipeFailedException e = assertThrows(PipeFailedException.class, () -> drain(child));
    assertTrue(e.getMessage().startsWith("pipe \"sh -c 'cat >/dev/null; echo Traceback >&2; echo ValueError: boom >&2; exit 3'\" exited with code 3"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("the last lines of its stderr:\n  Traceback\n  ValueError: boom"), e.getMessage());
    assertEquals(0, e.getStackTrace().length, "the message says it all");
  }

  @Test
  void signalsAreDecoded() {
    PipedProcess child = PipedProcess.start(command("sh -c 'kill -9 $$'"), null, List.of().iterator(),
        LineEncoder.TEXT, null, MAX_LINE, DRAIN);
    PipeFailedException e = assertThrows(PipeFailedException.class, () -> drain(child));
    assertTrue(e.getMessage().contains("exited with code 137 (killed by SIGKILL)"), e.getMessage());
  }

  @Test
  void aChildThatExitsBeforeReadingItsInputSaysHowMuchItRead() {
    List<String> input = new ArrayList<>();
    long total = 0;
    for (int i = 0; i < 200_000; i++) {
      String line = "line number " + i;
      input.add(line);
      total += line.length() + 1;
    }
    PipedProcess child = PipedProcess.start(command("head -c 10"), null, input.iterator(), LineEncoder.TEXT, null,
        MAX_LINE, DRAIN);
    PipeFailedException e = assertThrows(PipeFailedException.class, () -> drain(child));
    String expectedEnd = String.format(Locale.ROOT, " of %,d input bytes", total);
    assertTrue(e.getMessage().startsWith("pipe \"head -c 10\" exited (code 0) after reading "), e.getMessage());
    assertTrue(e.getMessage().contains(expectedEnd), e.getMessage());
  }

  @Test
  void missingAndNonExecutableCommandsFailToStart() throws Exception {
    PipeFailedException missing = assertThrows(PipeFailedException.class, () -> PipedProcess.start(
        command("no-such-command-here arg"), null, List.of().iterator(), LineEncoder.TEXT, null, MAX_LINE, DRAIN));
    assertEquals("cannot run pipe \"no-such-command-here arg\": No such file or directory", missing.getMessage());
    Path script = Files.writeString(dir.resolve("script.sh"), "#!/bin/sh\necho hi\n");
    PipeFailedException denied = assertThrows(PipeFailedException.class, () -> PipedProcess.start(
        command(script.toString()), null, List.of().iterator(), LineEncoder.TEXT, null, MAX_LINE, DRAIN));
    assertTrue(denied.getMessage().endsWith(": Permission denied"), denied.getMessage());
  }

  @Test
  void aGrandchildHoldingStdoutOpenCannotHangTheTask() {
    List<byte[]> out = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> drain(PipedProcess.start(
        command("sh -c 'sleep 30 & echo done'"), null, List.of().iterator(), LineEncoder.TEXT, null, MAX_LINE, DRAIN)));
    assertEquals(List.of("done"), out.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
  }

  @Test
  void aFailingInputFailsThePipeWithItsOwnException() {
    IllegalStateException bad = new IllegalStateException("bad input line");
    Iterator<String> input = new Iterator<>() {
      int n;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public String next() {
        if (++n == 1000) {
          throw bad;
        }
        return "record " + n;
      }
    };
    PipedProcess child = PipedProcess.start(command("cat"), null, input, LineEncoder.TEXT, null, MAX_LINE, DRAIN);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> drain(child));
    assertSame(bad, e);
  }

  @Test
  void reporterLinesBecomeCountersAndStatusOnlyWhenTheChildSucceeds() throws Exception {
    String script = "echo reporter:counter:Words,Seen,5 >&2; echo reporter:counter:Words,Seen,2 >&2; "
        + "echo reporter:status:halfway >&2; echo reporter:counter:broken >&2; echo plain words >&2; "
        + "echo reporter:nonsense >&2; cat";
    FakeTask task = new FakeTask(dir);
    PipedProcess child = PipedProcess.start(command("sh -c '" + script + "'"), null, List.of("a", "b").iterator(),
        LineEncoder.TEXT, task, MAX_LINE, DRAIN);
    assertEquals(2, drain(child).size());
    assertEquals(Map.of("Words.Seen", 7L, PipedProcess.MALFORMED_REPORTER_LINES, 2L), task.counters);
    assertEquals("halfway", child.status());
    assertEquals(List.of("pipe: halfway"), task.statuses);
    try (var logs = Files.list(dir.resolve("logs"))) {
      List<Path> kept = logs.toList();
      assertEquals(1, kept.size());
      assertTrue(kept.get(0).getFileName().toString().startsWith("attempt_dflow_0002_m_000005_1.pipe-"), kept.toString());
      assertEquals(List.of("reporter:counter:broken", "plain words", "reporter:nonsense"), Files.readAllLines(kept.get(0)));
    }

    FakeTask failed = new FakeTask(dir.resolve("other"));
    PipedProcess failing = PipedProcess.start(command("sh -c 'echo reporter:counter:G,C,1 >&2; exit 1'"), null,
        List.of().iterator(), LineEncoder.TEXT, failed, MAX_LINE, DRAIN);
    assertThrows(PipeFailedException.class, () -> drain(failing));
    assertTrue(failed.counters.isEmpty(), "a failed attempt's counters do not count");
  }

  @Test
  void aFailureNamesTheTaskTheSplitAndTheLastInputLineSent() {
    FakeTask task = new FakeTask(dir);
    PipedProcess child = PipedProcess.start(command("sh -c 'read x; exit 2'"), null, List.of("one", "two").iterator(),
        LineEncoder.TEXT, task, MAX_LINE, DRAIN);
    PipeFailedException e = assertThrows(PipeFailedException.class, () -> drain(child));
    assertTrue(e.getMessage().startsWith("pipe \"sh -c 'read x; exit 2'\" exited with code 2 on split "
        + "file:/in/a.txt:0+1000 (attempt_dflow_0002_m_000005_1), the last input line sent from file "
        + "file:/in/a.txt at byte offset 4; its stderr was empty"), e.getMessage());
  }

  @Test
  void aFailedAttemptKeepsItsStderr() throws Exception {
    FakeTask task = new FakeTask(dir);
    PipedProcess child = PipedProcess.start(command("sh -c 'echo first >&2; echo second >&2; exit 1'"), null,
        List.of().iterator(), LineEncoder.TEXT, task, MAX_LINE, DRAIN);
    assertThrows(PipeFailedException.class, () -> drain(child));
    try (var logs = Files.list(dir.resolve("logs"))) {
      assertEquals(List.of("first", "second"), Files.readAllLines(logs.findFirst().orElseThrow()));
    }
  }

  @Test
  void closingEarlyKillsTheChild() {
    PipedProcess child = PipedProcess.start(command("yes"), null, List.of().iterator(), LineEncoder.TEXT, null,
        MAX_LINE, DRAIN);
    for (int i = 0; i < 10; i++) {
      assertEquals("y", new String(child.next(), StandardCharsets.UTF_8));
    }
    ProcessHandle handle = ProcessHandle.allProcesses()
        .filter(p -> p.info().command().map(c -> c.endsWith("/yes")).orElse(false)
            && p.parent().map(q -> q.pid() == ProcessHandle.current().pid()).orElse(false))
        .findFirst().orElseThrow();
    child.close();
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> handle.onExit().join());
    assertFalse(handle.isAlive());
  }

  private static ChildCommand command(String text) {
    return ChildCommand.parse("pipe", text, Map.of());
  }

  private static List<byte[]> drain(Iterator<byte[]> lines) {
    List<byte[]> out = new ArrayList<>();
    lines.forEachRemaining(out::add);
    return out;
  }

  /** The services a task would offer, for a child run outside an executor. */
  private static final class FakeTask implements TaskScope.Services {
    final Map<String, Long> counters = new ConcurrentHashMap<>();
    final List<String> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Path shared;

    FakeTask(Path shared) {
      this.shared = shared;
    }

    @Override
    public Object broadcastValue(long id) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void addToCounter(String name, long delta) {
      counters.merge(name, delta, Long::sum);
    }

    @Override
    public TaskInfo task() {
      return new TaskInfo(2, 5, 1, true,
          new FileSplit(List.of(new FileSplit.Segment("file:/in/a.txt", 0, 1000)), List.of()));
    }

    @Override
    public void setStatus(String message) {
      statuses.add(message);
    }

    @Override
    public String inputPosition() {
      return "file file:/in/a.txt at byte offset 4";
    }

    @Override
    public Path workDir() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Path sharedDir() {
      return shared;
    }

    @Override
    public void closeAtEnd(Closeable resource) {
      throw new UnsupportedOperationException();
    }
  }
}
