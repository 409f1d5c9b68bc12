/**
 * {@code --master yarn}: executors in YARN containers. {@link io.dflow.driver.yarn.YarnBackend}
 * (in the driver) ships dflow's jars to the staging directory and submits an application whose
 * master, {@link io.dflow.driver.yarn.ApplicationMaster}, asks the ResourceManager for the
 * containers the driver wants and starts executors in them through the NodeManagers. The two
 * talk over the driver's authenticated port with the small protocol of {@code AmMessage};
 * executors register with the driver as on {@code local-cluster}. In cluster deploy mode
 * {@link io.dflow.driver.yarn.ClusterSubmission} submits the driver itself as the master's
 * command, and that driver's backend runs the master on a thread of its own JVM.
 *
 * <p>The executors are asked for at the first job, near its waiting tasks' hosts, and the
 * requests not yet met follow the waiting tasks' hosts from then on ({@code PlacementUpdates},
 * {@code ContainerPlacement}); a master YARN starts again finds the same driver
 * ({@code MasterLink}).
 *
 * <p>Threading: the backend's network callbacks run on the transport's event loops and only post
 * to the scheduler or complete futures; {@code start}, {@code jobSubmitted} and {@code close} run
 * on the job's thread; the wait for the first executors, the placement updates and the watch for
 * a master's next attempt run on daemon threads of their own. The link to the master is guarded by its object. In the application master every piece of
 * state is guarded by its one object.
 */
package io.dflow.driver.yarn;
