package io.dflow.driver.scheduler;

/**
 * Which rack a host is in, as the cluster's topology settings say (Hadoop's
 * {@code net.topology.*}); hosts of an unknown or flat topology are all in
 * {@value #DEFAULT_RACK}, where racks decide nothing.
 *
 * <p>Threading: called on the scheduler's event loop; implementations cache what they resolve.
 */
@FunctionalInterface
public interface Topology {
  /** Hadoop's name for the rack of every host when none is configured. */
  String DEFAULT_RACK = "/default-rack";

  /** One rack for everything. */
  Topology FLAT = host -> DEFAULT_RACK;

  String rackOf(String host);
}
