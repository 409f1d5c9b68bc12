package io.dflow.executor.net;

/**
 * Tells a {@link TransportServer} which classes it serves by name: only those this end made
 * itself (a shell's snippet classes), never whatever its class path happens to hold. Called on an
 * event loop thread: it must be a quick lookup.
 */
@FunctionalInterface
public interface ClassResolver {

  /** For endpoints that serve no classes. */
  ClassResolver NONE = name -> null;

  /**
   * @param binaryName the name the peer asked for (untrusted input), already checked to be a
   *     syntactically valid binary class name
   * @return the class, or null when it is not served
   */
  ServedClass resolve(String binaryName);
}
