package io.dflow.examples;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Optional;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import java.util.Locale;

/**
 * Joins two tab-separated tables: {@code Join <customers.tsv> <orders.tsv> <out>}, where a
 * customer line is {@code id<TAB>name<TAB>city} and an order line is
 * {@code order<TAB>customer<TAB>amount} (a first line starting with {@code #} is a header).
 * Writes one line per customer, {@code name<TAB>city<TAB>orders<TAB>total}, customers without
 * orders included with 0 and 0.00; orders of unknown customers are counted and printed.
 */
public final class Join implements DflowJob {
  @Override
  public void run(JobContext ctx, String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: Join <customers.tsv> <orders.tsv> <out>");
    }
    PairDataset<String, String> customers = ctx.textFile(args[0])
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .mapToPair(line -> {
          String[] f = fields(line, 3);
          return Pair.of(f[0], f[1] + "\t" + f[2]);
        }, Encoders.strings(), Encoders.strings());
    PairDataset<String, Long> cents = ctx.textFile(args[1])
        .filter(line -> !line.startsWith("#") && !line.isBlank())
        .mapToPair(line -> {
          String[] f = fields(line, 3);
          return Pair.of(f[1], Math.round(Double.parseDouble(f[2]) * 100));
        }, Encoders.strings(), Encoders.longs());
    PairDataset<String, Pair<Long, Long>> perCustomer = cents
        .aggregateByKey(Pair.of(0L, 0L), (acc, c) -> Pair.of(acc.key() + 1, acc.value() + c),
            (a, b) -> Pair.of(a.key() + b.key(), a.value() + b.value()),
            Encoders.pairs(Encoders.longs(), Encoders.longs()));
    customers.leftOuterJoin(perCustomer)
        .values()
        .map(p -> line(p.key(), p.value()), Encoders.strings())
        .saveAsTextFile(args[2]);
    long orphans = cents.leftOuterJoin(customers).filter(p -> !p.value().value().isPresent()).count();
    System.out.println("orders of unknown customers: " + orphans);
  }

  private static String line(String customer, Optional<Pair<Long, Long>> orders) {
    Pair<Long, Long> o = orders.orElse(Pair.of(0L, 0L));
    return String.format(Locale.ROOT, "%s\t%d\t%d.%02d", customer, o.key(), o.value() / 100, o.value() % 100);
  }

  private static String[] fields(String line, int n) {
    String[] f = line.split("\t", -1);
    if (f.length != n) {
      throw new IllegalArgumentException("expected " + n + " tab-separated fields, got " + f.length + ": " + line);
    }
    return f;
  }
}
