package io.dflow.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.api.Dataset;
import io.dflow.api.Encoders;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The test kit on a real local[2] session: assertions that hold pass, and those that do not say what differs. */
class DatasetAssertTest {
  private static LocalSession session;

  @BeforeAll
  static void start() {
    session = LocalSession.start(2);
  }

  @AfterAll
  static void stop() {
    session.close();
  }

  private static Dataset<Integer> squares() {
    return session.context().parallelize(List.of(1, 2, 3, 2), Encoders.ints(), 2).map(x -> x * x, Encoders.ints());
  }

  @Test
  void equalContentsInAnyOrderPass() {
    DatasetAssert.assertContainsExactlyInAnyOrder(squares(), 4, 9, 1, 4);
    DatasetAssert.assertCount(squares(), 4);
    assertTrue(session.jobsRun() >= 2, "each assertion ran the dataset");
  }

  @Test
  void aDifferenceNamesTheMissingAndTheUnexpectedRecords() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> DatasetAssert.assertContainsExactlyInAnyOrder(squares(), 1, 4, 16));
    assertEquals("the dataset holds 4 records, 3 expected; missing: [16]; not expected: [4, 9]", e.getMessage());
    AssertionError count = assertThrows(AssertionError.class, () -> DatasetAssert.assertCount(squares(), 5));
    assertEquals("the dataset holds 4 records, 5 expected", count.getMessage());
  }

  @Test
  void aBadSlotCountIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LocalSession.start(0));
    assertTrue(e.getMessage().contains("at least one slot"), e.getMessage());
  }
}
