/** Java serialisation behind an allow-list filter and the job's class loader. Depends on the JDK only. */
package io.dflow.executor.serde;
