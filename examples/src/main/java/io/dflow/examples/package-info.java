/**
 * Example jobs a newcomer runs first ({@link io.dflow.examples.WordCount},
 * {@link io.dflow.examples.TinyTasks}) and the plain helpers they are built from. Depends on
 * {@code io.dflow.api} only (provided at run time by the driver); the helpers
 * ({@link io.dflow.examples.Tokenizer}, {@link io.dflow.examples.TenthPowers}) depend on the JDK
 * alone, so the hand-written baselines in {@code bench/} run them without dflow.
 */
package io.dflow.examples;
