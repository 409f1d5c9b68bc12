package io.dflow.streaming;

import java.util.Map;
import java.util.regex.Pattern;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.Mapper;
import org.apache.hadoop.mapred.Reducer;
import org.apache.hadoop.mapred.lib.aggregate.ValueAggregatorCombiner;
import org.apache.hadoop.mapred.lib.aggregate.ValueAggregatorReducer;

/**
 * Java classes given as {@code -mapper}, {@code -combiner} or {@code -reducer}, as Hadoop
 * Streaming takes them: a fully qualified class name (or the word {@code aggregate}, Hadoop's
 * {@link ValueAggregatorReducer} with {@link ValueAggregatorCombiner}) instead of a command,
 * loaded from dflow's class path (Hadoop's own library classes are on it) or the
 * {@code -libjars} jar, and run through Hadoop's old {@code org.apache.hadoop.mapred} API.
 */
final class HadoopClasses {
  /** What Hadoop Streaming spells the aggregate package's reducer (and combiner) as. */
  static final String AGGREGATE = "aggregate";
  /**
   * A package-qualified class name: dotted identifiers, the last one capitalised. A command such
   * as {@code mapper.py} or {@code ./run.sh} never looks like one.
   */
  private static final Pattern CLASS_NAME =
      Pattern.compile("([a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(\\$[\\w$]+)*");

  private HadoopClasses() {}

  /** Whether {@code text} names a Java class rather than a command. */
  static boolean namesClass(String text) {
    return text != null && (AGGREGATE.equalsIgnoreCase(text) || CLASS_NAME.matcher(text).matches());
  }

  /** The class a role's text names: {@code aggregate} is Hadoop's aggregate reducer, or combiner when {@code combiner}. */
  static String className(String text, boolean combiner) {
    if (AGGREGATE.equalsIgnoreCase(text)) {
      return (combiner ? ValueAggregatorCombiner.class : ValueAggregatorReducer.class).getName();
    }
    return text;
  }

  /**
   * Checks on the driver that {@code name} can be loaded and implements the old API's
   * {@link Mapper} (for a mapper) or {@link Reducer} (for a combiner or reducer).
   *
   * @throws IllegalArgumentException naming the option and the class, if not
   */
  static void check(String role, String name, ClassLoader loader) {
    boolean mapper = role.equals("mapper");
    Class<?> api = mapper ? Mapper.class : Reducer.class;
    Class<?> cls;
    try {
      cls = Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalArgumentException("-" + role + " " + name + ": no such class on dflow's class path or in the "
          + "-libjars jar" + (e instanceof LinkageError ? " (" + e + ")" : ""));
    }
    if (!api.isAssignableFrom(cls)) {
      throw new IllegalArgumentException("-" + role + " " + name + ": the class does not implement " + api.getName()
          + " (a Java " + role + " must use Hadoop's old org.apache.hadoop.mapred API, as in Hadoop Streaming)");
    }
  }

  /** Makes and configures an instance of {@code name} in a task, through Hadoop's own {@code ReflectionUtils}. */
  static <T> T instantiate(String name, Class<T> api, Map<String, String> settings) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    JobConf conf = new JobConf(false);
    conf.setClassLoader(loader);
    settings.forEach(conf::set);
    try {
      Class<?> cls = Class.forName(name, true, loader);
      return api.cast(org.apache.hadoop.util.ReflectionUtils.newInstance(cls, conf));
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("class " + name + " is not on this executor's class path", e);
    }
  }
}
