package dflowtest.jobs;

/** A main class of the JDK's classes only, for tests that start a plain JVM from the test jobs jar. */
public final class HelloMain {
  private HelloMain() {}

  public static void main(String[] args) {
    System.out.println("hello " + String.join(" ", args));
  }
}
