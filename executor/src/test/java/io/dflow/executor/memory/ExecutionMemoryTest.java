package io.dflow.executor.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The executor's execution memory pool and a task's share of it: a lone task gets up to its cap;
 * N tasks never hold more than {@code pool / N} each, and grants shrink as tasks join; a task
 * below {@code pool / 2N} waits (on another thread, observed with latches and thread states,
 * never sleeps) until another releases or closes; {@link TaskMemory} asks its other consumers to
 * spill, largest first, before the requester is told to spill; {@code peak()} is the most held
 * at once; closing gives everything back.
 */
class ExecutionMemoryTest {
  private static final long WAIT_SECONDS = 10;
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void noThreadLeftBehind() throws InterruptedException {
    for (Thread t : threads) {
      t.interrupt();
      t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(t.isAlive(), t + " still running");
    }
  }

  /** A consumer that records when it is asked to spill, and gives back all it holds when it is. */
  static final class Recorder extends MemoryConsumer {
    private final String name;
    private final List<String> spills;
    boolean spillFrees = true;
    boolean failSpill;

    Recorder(TaskMemory memory, String name, List<String> spills) {
      super(memory);
      this.name = name;
      this.spills = spills;
    }

    long take(long bytes) {
      return acquire(bytes);
    }

    void giveBack() {
      releaseAll();
    }

    @Override
    public void spill() throws IOException {
      spills.add(name);
      if (failSpill) {
        throw new IOException("disk full");
      }
      if (spillFrees) {
        releaseAll();
      }
    }
  }

  @Test
  void aPoolMustHoldSomething() {
    assertThrows(IllegalArgumentException.class, () -> new ExecutionMemory(0));
    assertEquals(5, new ExecutionMemory(5).pool());
  }

  @Test
  void pagesGivenBackAreLentAgainWhileTheyFitInThePoolBesideWhatTasksHold() {
    ExecutionMemory pool = new ExecutionMemory(1000);
    byte[] first = pool.page(300);
    byte[] second = pool.page(300);
    pool.recycle(first);
    pool.recycle(second);
    assertEquals(600, pool.freePageBytes());
    assertTrue(pool.page(300) == second, "the last page given back is lent first");
    assertTrue(pool.page(300) == first);
    assertEquals(300, pool.page(300).length, "none left: a new page");
    assertEquals(0, pool.freePageBytes());

    pool.recycle(new byte[300]);
    pool.recycle(new byte[200]);
    TaskMemory task = pool.forTask("t", 1000);
    assertEquals(400, pool.acquire(task, 400, 1000));
    assertEquals(500, pool.freePageBytes(), "400 held and 500 free fit in 1000");
    pool.recycle(new byte[200]);
    assertEquals(500, pool.freePageBytes(), "a page that would not fit beside them is left to the collector");
    assertEquals(300, pool.acquire(task, 300, 1000));
    assertTrue(pool.freePageBytes() <= 300, "a grant drops free pages until both fit: " + pool.freePageBytes());
  }

  @Test
  void aLoneTaskGetsUpToItsCapAndNoMore() {
    ExecutionMemory pool = new ExecutionMemory(1000);
    TaskMemory task = pool.forTask("capped", 600);
    Recorder c = new Recorder(task, "c", new ArrayList<>());
    assertEquals(400, c.take(400));
    assertEquals(200, c.take(400), "the cap, not the pool, stops it: the rest is for it to spill");
    assertEquals(0, c.take(1), "at its cap: told to spill at once, not made to wait");
    assertEquals(600, c.used());
    assertEquals(600, task.held());
    assertEquals(600, pool.used());

    TaskMemory big = new ExecutionMemory(1000).forTask("uncapped", 5000);
    Recorder d = new Recorder(big, "d", new ArrayList<>());
    assertEquals(1000, d.take(1500), "a cap above the pool: the pool is the limit");
    assertEquals(0, d.take(1));
  }

  @Test
  void tasksShareFairlyAndGrantsShrinkAsTasksJoin() {
    ExecutionMemory pool = new ExecutionMemory(1200);
    TaskMemory a = pool.forTask("a", 1200);
    TaskMemory b = pool.forTask("b", 1200);
    TaskMemory c = pool.forTask("c", 1200);

    assertEquals(1200, takeInSteps(pool, a, 100), "alone: the whole pool");
    pool.release(a, 1200);
    assertEquals(0, pool.acquire(b, 0, 1200), "b joins holding nothing");
    assertEquals(600, takeInSteps(pool, a, 100), "two tasks: half each");
    assertEquals(600, takeInSteps(pool, b, 70));

    assertEquals(0, pool.acquire(c, 0, 1200), "c joins");
    assertEquals(0, pool.acquire(a, 1, 1200), "three tasks: a holds more than a third, so it gets nothing");
    assertEquals(0, pool.acquire(b, 50, 1200));
    pool.release(a, 400);
    pool.release(b, 400);
    assertEquals(400, pool.acquire(c, 10_000, 1200), "c may have its third, no more, though more is free");
    assertEquals(200, pool.acquire(a, 10_000, 1200), "a is back up to its third");
    assertEquals(1000, pool.used());

    c.close();
    assertEquals(600, pool.used(), "a closed task gives its memory back and leaves the count");
    assertEquals(200, pool.acquire(a, 10_000, 1200), "two tasks again: a may hold half");
  }

  /** Asks for {@code step} bytes at a time until a grant falls short; returns the task's total. */
  private static long takeInSteps(ExecutionMemory pool, TaskMemory task, long step) {
    long total = 0;
    while (true) {
      long got = pool.acquire(task, step, Long.MAX_VALUE);
      total += got;
      if (got < step) {
        return total;
      }
    }
  }

  /**
   * Tasks on their own threads grab and release random amounts; each keeps one byte so all of
   * them stay counted, so no task ever holds more than {@code pool / N} and the pool is never
   * overdrawn.
   */
  @Test
  void concurrentTasksNeverHoldMoreThanTheirShare() throws Exception {
    int n = 4;
    long poolBytes = 10_000;
    ExecutionMemory pool = new ExecutionMemory(poolBytes);
    List<TaskMemory> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      TaskMemory t = pool.forTask("t" + i, poolBytes);
      assertEquals(1, pool.acquire(t, 1, poolBytes));
      tasks.add(t);
    }
    CyclicBarrier start = new CyclicBarrier(n);
    CountDownLatch finished = new CountDownLatch(n);
    CountDownLatch closeNow = new CountDownLatch(1);
    AtomicReference<String> violation = new AtomicReference<>();
    for (int i = 0; i < n; i++) {
      TaskMemory t = tasks.get(i);
      Random random = new Random(i);
      start(() -> {
        start.await(WAIT_SECONDS, TimeUnit.SECONDS);
        long mine = 1;
        for (int round = 0; round < 3000; round++) {
          long want = 1 + random.nextInt(1500);
          long got = pool.acquire(t, want, poolBytes);
          if (got < 0 || got > want) {
            violation.compareAndSet(null, "granted " + got + " of " + want);
          }
          mine += got;
          if (mine > poolBytes / n) {
            violation.compareAndSet(null, t + " holds " + mine + " of a pool of " + poolBytes + " with " + n + " tasks");
          }
          if (pool.used() > poolBytes) {
            violation.compareAndSet(null, "pool overdrawn: " + pool.used());
          }
          if (random.nextInt(3) == 0 || got < want) {
            long back = random.nextBoolean() ? mine - 1 : random.nextInt((int) mine);
            pool.release(t, back);
            mine -= back;
          }
        }
        pool.release(t, mine - 1);
        finished.countDown();
        closeNow.await(WAIT_SECONDS, TimeUnit.SECONDS); // stay counted until every task is done
        t.close();
        return null;
      });
    }
    assertTrue(finished.await(WAIT_SECONDS * 3, TimeUnit.SECONDS), "every task finishes: nobody waits forever");
    assertEquals(null, violation.get());
    assertEquals(n, pool.used(), "each task's last byte");
    closeNow.countDown();
  }

  @Test
  void aTaskThatHasGivenEverythingBackNoLongerShrinksTheOthersShare() {
    ExecutionMemory pool = new ExecutionMemory(1000);
    TaskMemory a = pool.forTask("a", 1000);
    TaskMemory b = pool.forTask("b", 1000);
    assertEquals(100, pool.acquire(b, 100, 1000));
    assertEquals(500, pool.acquire(a, 900, 1000), "two tasks hold memory: half each");
    pool.release(b, 100);
    assertEquals(500, pool.acquire(a, 900, 1000), "b holds nothing now: a may have the whole pool");
    assertEquals(1000, pool.used());
  }

  @Test
  void aTaskBelowItsMinimumShareWaitsUntilAnotherReleases() throws Exception {
    ExecutionMemory pool = new ExecutionMemory(1000);
    TaskMemory a = pool.forTask("a", 1000);
    TaskMemory b = pool.forTask("b", 1000);
    assertEquals(1000, pool.acquire(a, 1000, 1000));

    CountDownLatch asking = new CountDownLatch(1);
    CompletableFuture<Long> grant = new CompletableFuture<>();
    Thread waiter = start(() -> {
      asking.countDown();
      grant.complete(pool.acquire(b, 300, 1000));
      return null;
    });
    assertTrue(asking.await(WAIT_SECONDS, TimeUnit.SECONDS));
    awaitWaiting(waiter);
    assertFalse(grant.isDone(), "b holds nothing, less than 1000 / (2 * 2): it waits rather than spill");

    pool.release(a, 100); // not enough to reach b's minimum share of 250
    awaitWaiting(waiter);
    assertFalse(grant.isDone(), "100 bytes free would leave b below its minimum: it keeps waiting");
    assertEquals(900, pool.used());

    pool.release(a, 300);
    assertEquals(300L, grant.get(WAIT_SECONDS, TimeUnit.SECONDS), "released memory reaches the waiting task");
    assertEquals(900, pool.used());
  }

  @Test
  void closingATaskWakesAWaitingOne() throws Exception {
    ExecutionMemory pool = new ExecutionMemory(1000);
    TaskMemory a = pool.forTask("a", 1000);
    TaskMemory b = pool.forTask("b", 1000);
    Recorder holder = new Recorder(a, "holder", new ArrayList<>());
    assertEquals(1000, holder.take(1000));
    CompletableFuture<Long> grant = new CompletableFuture<>();
    Thread waiter = start(() -> {
      grant.complete(pool.acquire(b, 800, 1000));
      return null;
    });
    awaitWaiting(waiter);
    assertFalse(grant.isDone());
    a.close();
    assertEquals(800L, grant.get(WAIT_SECONDS, TimeUnit.SECONDS), "alone again, b may have the whole pool");
    assertEquals(0, a.held());
    assertEquals(800, pool.used());
  }

  @Test
  void anInterruptedWaiterGetsNothingAndKeepsItsInterrupt() throws Exception {
    ExecutionMemory pool = new ExecutionMemory(1000);
    TaskMemory a = pool.forTask("a", 1000);
    TaskMemory b = pool.forTask("b", 1000);
    pool.acquire(a, 1000, 1000);
    CompletableFuture<Long> grant = new CompletableFuture<>();
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread waiter = start(() -> {
      long got = pool.acquire(b, 300, 1000);
      interrupted.set(Thread.currentThread().isInterrupted());
      grant.complete(got);
      return null;
    });
    awaitWaiting(waiter);
    waiter.interrupt();
    assertEquals(0L, grant.get(WAIT_SECONDS, TimeUnit.SECONDS));
    waiter.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertTrue(interrupted.get(), "the interrupt is kept for the task to see");
    assertEquals(1000, pool.used());
  }

  @Test
  void otherConsumersSpillLargestFirstBeforeTheRequesterIsToldTo() {
    ExecutionMemory pool = new ExecutionMemory(1000);
    TaskMemory task = pool.forTask("t", 1000);
    List<String> spills = new ArrayList<>();
    Recorder small = new Recorder(task, "small", spills);
    Recorder large = new Recorder(task, "large", spills);
    Recorder middle = new Recorder(task, "middle", spills);
    Recorder idle = new Recorder(task, "idle", spills);
    Recorder requester = new Recorder(task, "requester", spills);
    assertEquals(100, small.take(100));
    assertEquals(500, large.take(500));
    assertEquals(300, middle.take(300));

    assertEquals(600, requester.take(600), "100 free, and the largest other spills for the rest");
    assertEquals(List.of("large"), spills, "only as many spill as are needed, largest first");
    assertEquals(0, large.used());
    assertEquals(1000, task.held());

    spills.clear();
    requester.giveBack();
    large.take(350);
    // small 100, large 350, middle 300, 250 free: 800 needs the two largest others
    assertEquals(800, requester.take(800));
    assertEquals(List.of("large", "middle"), spills);
    assertEquals(100, small.used());

    spills.clear();
    // 100 free and small's 100; the idle one holds nothing: not enough, so the requester must spill
    assertEquals(200, requester.take(500), "what the others could free, less than asked: spill");
    assertEquals(List.of("small"), spills, "a consumer holding nothing is not asked, nor is the requester");
    assertEquals(1000, requester.used());
    assertEquals(0, idle.used());
  }

  @Test
  void aConsumerWhoseSpillFreesNothingIsPassedOver() {
    ExecutionMemory pool = new ExecutionMemory(1000);
    TaskMemory task = pool.forTask("t", 1000);
    List<String> spills = new ArrayList<>();
    Recorder stuck = new Recorder(task, "stuck", spills);
    Recorder freeing = new Recorder(task, "freeing", spills);
    Recorder requester = new Recorder(task, "requester", spills);
    stuck.spillFrees = false; // e.g. a sorter whose output is being read
    stuck.take(600);
    freeing.take(400);
    assertEquals(400, requester.take(500));
    assertEquals(List.of("stuck", "freeing"), spills);
    assertEquals(600, stuck.used());
  }

  @Test
  void aClosedConsumerIsNotAskedToSpillAndAFailedSpillNamesTheTask() throws IOException {
    ExecutionMemory pool = new ExecutionMemory(1000);
    TaskMemory task = pool.forTask("task 7.0", 1000);
    List<String> spills = new ArrayList<>();
    Recorder closed = new Recorder(task, "closed", spills);
    Recorder failing = new Recorder(task, "failing", spills);
    Recorder requester = new Recorder(task, "requester", spills);
    closed.take(300);
    closed.close();
    assertEquals(0, closed.used());
    assertEquals(0, pool.used(), "closing a consumer gives its memory back");
    failing.take(1000);
    failing.failSpill = true;
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> requester.take(10));
    assertTrue(e.getMessage().contains("task 7.0") && e.getMessage().contains("disk full"), e.getMessage());
    assertEquals(List.of("failing"), spills);
  }

  @Test
  void peakIsTheMostHeldAtOnceAndCloseGivesEverythingBack() {
    ExecutionMemory pool = new ExecutionMemory(1000);
    TaskMemory task = pool.forTask("t", 1000);
    TaskMemory other = pool.forTask("other", 1000);
    List<String> spills = new ArrayList<>();
    Recorder x = new Recorder(task, "x", spills);
    Recorder y = new Recorder(task, "y", spills);
    x.take(300);
    y.take(200);
    assertEquals(500, task.peak());
    x.giveBack();
    y.take(100);
    assertEquals(300, task.held());
    assertEquals(500, task.peak(), "a peak is not lowered by releasing");
    assertEquals(800, x.take(800)); // 700 free, and y spills its 300 for the rest
    assertEquals(List.of("y"), spills);
    assertEquals(800, task.held());
    assertEquals(800, task.peak(), "the consumers never held more than 800 together");
    assertEquals(200, x.take(200));
    assertEquals(1000, task.peak());

    task.close();
    assertEquals(0, task.held());
    assertEquals(0, pool.used(), "close releases what every consumer held");
    assertEquals(1000, pool.acquire(other, 1000, 1000), "all of it is free for others");
  }

  /** Starts a daemon thread running {@code body}; the test checks its results through futures. */
  private Thread start(Callable body) {
    Thread t = new Thread(() -> {
      try {
        body.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, "memory-test-" + threads.size());
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return t;
  }

  @FunctionalInterface
  private interface Callable {
    Object call() throws Exception;
  }

  /** Spins (yielding) until {@code t} waits on a monitor: the pool's, here. */
  private static void awaitWaiting(Thread t) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (t.getState() != Thread.State.WAITING) {
      assertTrue(t.isAlive(), t + " ended instead of waiting");
      assertTrue(System.nanoTime() < deadline, t + " never waited: " + t.getState());
      Thread.yield();
    }
  }
}
