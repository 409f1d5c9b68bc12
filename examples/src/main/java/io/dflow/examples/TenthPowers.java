package io.dflow.examples;

import java.math.BigInteger;
import java.util.Iterator;

/** The arithmetic of {@link TinyTasks}: exact sums of tenth powers. Depends on the JDK only. */
public final class TenthPowers {
  private TenthPowers() {}

  /** {@code x^10}, exactly. */
  public static BigInteger of(long x) {
    return BigInteger.valueOf(x).pow(10);
  }

  /** The sum of {@code x^10} over {@code xs}; zero when there are none. */
  public static BigInteger sum(Iterator<Long> xs) {
    BigInteger sum = BigInteger.ZERO;
    while (xs.hasNext()) {
      sum = sum.add(of(xs.next()));
    }
    return sum;
  }

  /** The line {@link TinyTasks} prints, shared with its serial baseline so outputs compare equal. */
  public static String report(long n, BigInteger sum) {
    return "sum of x^10 for x in [0, " + n + ") = " + sum;
  }
}
