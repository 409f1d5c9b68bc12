/**
 * {@code dflow shell}: a JShell prompt against a live dflow application.
 *
 * <p>Snippets run in the driver's JVM ({@link io.dflow.driver.shell.InProcessEngine}), so the
 * predefined {@code ctx} is the application's live {@code JobContext}. JShell compiles every
 * snippet into classes of package {@code REPL}; {@link io.dflow.driver.shell.SnippetClasses}
 * captures their bytes as JShell loads them and serves them, by name and only them, to the
 * executors over the authenticated transport, where a {@code ShellClassLoader} fetches what its
 * parents lack (as Spark's REPL class server does). A class travels with the values its static
 * fields (the shell's variables) hold when it is first fetched.
 *
 * <p>Threading: the shell's loop runs on one thread, which hands each snippet to JShell; JShell
 * runs it on a thread of its own and waits. Ctrl-C arrives on a signal thread and only cancels
 * the running jobs (and, if the snippet does not end soon after, stops its thread). Class fetches
 * are answered on network threads from a concurrent map.
 *
 * <p>This package uses the driver's public surface ({@code Session}, {@code JobJar}) and must
 * not reach into the scheduler.
 */
package io.dflow.driver.shell;
