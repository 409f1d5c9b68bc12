package io.dflow.planner;

import java.io.Serializable;

/**
 * Names one shuffle of an application. It comes from the logical node that needs it (a wide
 * step, or input {@code input} of a cogroup), so every job that plans the same dataset names
 * the same shuffle, and a later job can reuse map outputs an earlier one wrote.
 */
public record ShuffleId(int node, int input) implements Serializable {
  public ShuffleId {
    if (node < 0 || input < 0) {
      throw new IllegalArgumentException("bad shuffle id " + node + "." + input);
    }
  }

  @Override
  public String toString() {
    return input == 0 ? String.valueOf(node) : node + "." + input;
  }
}
