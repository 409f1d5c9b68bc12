/**
 * JMH microbenchmarks of the shuffle's byte paths, run by {@code bench/jmh.sh}: map output
 * writes, segment decodes, fetches over the authenticated loopback transport, and memcpy as the
 * reference, each reported in raw payload bytes per CPU second of the whole JVM
 * ({@link io.dflow.bench.jmh.Throughput}).
 *
 * <p>Threading: each benchmark runs on one JMH thread with its own state; the fetch benchmark's
 * transport has its own event-loop threads, whose CPU is counted too.
 */
package io.dflow.bench.jmh;
