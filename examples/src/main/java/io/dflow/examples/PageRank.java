package io.dflow.examples;

import io.dflow.api.DflowJob;
import io.dflow.api.Encoders;
import io.dflow.api.JobContext;
import io.dflow.api.Pair;
import io.dflow.api.PairDataset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * PageRank, iteratively: {@code PageRank <edges> <iterations> <out>} reads lines
 * {@code src dst} (blank lines and lines starting with {@code #} skipped), runs the given number
 * of iterations of the damped power method Spark's example runs (a page's rank is
 * {@code 0.15 + 0.85 * sum(rank(src) / outdegree(src))} over the pages linking to it), writes
 * {@code page<TAB>rank} lines under {@code out} and prints the five highest ranks.
 *
 * <p>The link lists are cached and hash partitioned, and each iteration's ranks are reduced
 * into the same partitioning, so the join of links and ranks moves no data: only the
 * contributions are shuffled, once per iteration.
 */
public final class PageRank implements DflowJob {
  static final double DAMPING = 0.85;

  @Override
  public void run(JobContext ctx, String[] args) {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: PageRank <edges> <iterations> <out>");
    }
    int iterations = Integer.parseInt(args[1]);
    PairDataset<String, Iterable<String>> links = ctx.textFile(args[0])
        .filter(line -> !line.isBlank() && !line.startsWith("#"))
        .mapToPair(PageRank::edge, Encoders.strings(), Encoders.strings())
        .distinct()
        .groupByKey()
        .cache();
    PairDataset<String, Double> ranks = links.mapValues(targets -> 1.0, Encoders.doubles());
    for (int i = 0; i < iterations; i++) {
      ranks = links.join(ranks)
          .values()
          .flatMapToPair(PageRank::contributions, Encoders.strings(), Encoders.doubles())
          .reduceByKey(Double::sum, links.partitioner())
          .mapValues(sum -> (1 - DAMPING) + DAMPING * sum, Encoders.doubles());
    }
    ranks.saveAsTextFile(args[2]);
    List<Pair<String, Double>> top = new ArrayList<>(ranks.collect());
    top.sort(Comparator.comparing((Pair<String, Double> p) -> -p.value()).thenComparing(Pair::key));
    for (Pair<String, Double> p : top.subList(0, Math.min(5, top.size()))) {
      System.out.printf(Locale.ROOT, "%s\t%.6f%n", p.key(), p.value());
    }
  }

  static Pair<String, String> edge(String line) {
    String[] parts = line.trim().split("\\s+");
    if (parts.length != 2) {
      throw new IllegalArgumentException("an edge is 'src dst', got: " + line);
    }
    return Pair.of(parts[0], parts[1]);
  }

  /** What a page gives each page it links to: its rank shared equally. */
  static java.util.Iterator<Pair<String, Double>> contributions(Pair<Iterable<String>, Double> linksAndRank) {
    List<String> targets = new ArrayList<>();
    linksAndRank.key().forEach(targets::add);
    double share = linksAndRank.value() / targets.size();
    List<Pair<String, Double>> out = new ArrayList<>(targets.size());
    for (String target : targets) {
      out.add(Pair.of(target, share));
    }
    return out.iterator();
  }
}
