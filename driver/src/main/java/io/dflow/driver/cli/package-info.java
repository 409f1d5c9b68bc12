/** The {@code dflow} command line (picocli): parses options and hands a request to the launcher. */
package io.dflow.driver.cli;
