package io.dflow.executor;

import java.util.Map;

/**
 * Who called {@code System.exit}, asked from a shutdown hook: the thread that called it waits in
 * {@code Shutdown.exit} while the hooks run, so its stack names the code that did it. That is how
 * a process tells "user code ended me" from a signal or a normal stop.
 */
public final class ExitCaller {
  /** What executor logs say when user code ended the process: the backend looks for it. */
  public static final String MARKER = "user code called System.exit";

  private ExitCaller() {}

  /** {@code user code called System.exit on thread T at Frame}, or null when no thread is in {@code System.exit}. */
  public static String describe() {
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      StackTraceElement[] frames = e.getValue();
      for (int i = 0; i < frames.length; i++) {
        if (frames[i].getClassName().equals("java.lang.Runtime") && frames[i].getMethodName().equals("exit")) {
          return MARKER + " on thread " + e.getKey().getName() + " at " + caller(frames, i + 1);
        }
      }
    }
    return null;
  }

  /** The first frame from {@code from} on outside the JDK's own {@code System.exit}. */
  private static String caller(StackTraceElement[] frames, int from) {
    for (int i = from; i < frames.length; i++) {
      if (!(frames[i].getClassName().equals("java.lang.System") && frames[i].getMethodName().equals("exit"))) {
        return frames[i].toString();
      }
    }
    return "an unknown frame";
  }
}
