/**
 * The serialisable functional interfaces user code passes to dataset steps, so lambdas can be
 * shipped to executors. Depends on nothing but the JDK.
 */
package io.dflow.api.function;
