package io.dflow.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class TenthPowersTest {
  /** x^10 by nine multiplications, the serial loop the helper must agree with. */
  private static BigInteger serialSum(long n) {
    BigInteger sum = BigInteger.ZERO;
    for (long x = 0; x < n; x++) {
      BigInteger bx = BigInteger.valueOf(x);
      BigInteger power = BigInteger.ONE;
      for (int k = 0; k < 10; k++) {
        power = power.multiply(bx);
      }
      sum = sum.add(power);
    }
    return sum;
  }

  /** Faulhaber: 66 * sum_{k=1..m} k^10 = 6m^11 + 33m^10 + 55m^9 - 66m^7 + 66m^5 - 33m^3 + 5m. */
  private static BigInteger faulhaber(long n) {
    BigInteger m = BigInteger.valueOf(n - 1);
    BigInteger times66 = m.pow(11).multiply(BigInteger.valueOf(6))
        .add(m.pow(10).multiply(BigInteger.valueOf(33)))
        .add(m.pow(9).multiply(BigInteger.valueOf(55)))
        .subtract(m.pow(7).multiply(BigInteger.valueOf(66)))
        .add(m.pow(5).multiply(BigInteger.valueOf(66)))
        .subtract(m.pow(3).multiply(BigInteger.valueOf(33)))
        .add(m.multiply(BigInteger.valueOf(5)));
    return times66.divide(BigInteger.valueOf(66));
  }

  private static BigInteger helperSum(long n) {
    return TenthPowers.sum(LongStream.range(0, n).boxed().iterator());
  }

  @Test
  void agreesWithSerialLoop() {
    for (long n : new long[] {0, 1, 2, 3, 17, 3000}) {
      assertEquals(serialSum(n), helperSum(n), "n=" + n);
    }
  }

  @Test
  void agreesWithClosedForm() {
    assertEquals(faulhaber(3000), helperSum(3000));
    assertEquals(faulhaber(1), helperSum(1));
  }

  @Test
  void partialSumsOverUnevenSlicesAddUpToTheWhole() {
    List<Long> xs = new ArrayList<>(LongStream.range(0, 3000).boxed().toList());
    Collections.shuffle(xs, new java.util.Random(7));
    BigInteger total = BigInteger.ZERO;
    int[] cuts = {0, 1, 1, 500, 1999, 3000};
    for (int i = 0; i + 1 < cuts.length; i++) {
      total = total.add(TenthPowers.sum(xs.subList(cuts[i], cuts[i + 1]).iterator()));
    }
    assertEquals(serialSum(3000), total);
  }

  @Test
  void reportLineHasTheAgreedShape() {
    assertEquals("sum of x^10 for x in [0, 3) = 1025", TenthPowers.report(3, BigInteger.valueOf(1025)));
  }
}
