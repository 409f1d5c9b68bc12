package io.dflow.driver.scheduler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers scheduler events to listeners on a thread of its own, so a slow listener (a terminal,
 * a log on a slow disk) never holds up scheduling. Events are delivered in the order posted. A
 * listener that throws is logged and keeps receiving.
 *
 * <p>Threading: {@link #post} from any thread (the scheduler's); listeners run on the bus thread.
 */
public final class ListenerBus implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerBus.class);
  private static final Object STOP = new Object();

  private final List<SchedulerListener> listeners = new CopyOnWriteArrayList<>();
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  public ListenerBus() {
    thread = new Thread(this::run, "dflow-listener-bus");
    thread.setDaemon(true);
    thread.start();
  }

  public void add(SchedulerListener listener) {
    listeners.add(listener);
  }

  public void post(ListenerEvent event) {
    queue.add(event);
  }

  /** Waits until every event posted before this call has been delivered. */
  public void flush() {
    CountDownLatch done = new CountDownLatch(1);
    queue.add(done);
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    while (true) {
      Object next;
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (next == STOP) {
        return;
      }
      if (next instanceof CountDownLatch latch) {
        latch.countDown();
        continue;
      }
      for (SchedulerListener l : listeners) {
        try {
          l.onEvent((ListenerEvent) next);
        } catch (RuntimeException e) {
          LOG.warn("listener {} failed on {}", l, next, e);
        }
      }
    }
  }

  /** Delivers what is queued, then stops. */
  @Override
  public void close() {
    flush();
    queue.add(STOP);
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
