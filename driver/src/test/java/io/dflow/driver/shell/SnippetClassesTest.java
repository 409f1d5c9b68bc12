package io.dflow.driver.shell;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dflow.executor.ShellClassLoader;
import io.dflow.executor.net.BlockResolver;
import io.dflow.executor.net.ClassNotServedException;
import io.dflow.executor.net.Connection;
import io.dflow.executor.net.MessageHandler;
import io.dflow.executor.net.ServedClass;
import io.dflow.executor.net.TransportClient;
import io.dflow.executor.net.TransportConf;
import io.dflow.executor.net.TransportServer;
import java.io.IOException;
import java.lang.reflect.Field;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The classes a real JShell generates, captured by the shell's engine: served by name with the
 * values of their statics, so a loader like an executor's (another JVM's class space, here a
 * separate {@link ShellClassLoader}) gets the variable's value; every name JShell did not
 * generate is refused, classes of the driver's own class path included. Completion comes from
 * the same JShell. Over a real transport server, a peer with the secret gets a snippet class and
 * nothing else; one without it is not let in.
 */
class SnippetClassesTest {
  private SnippetClasses classes;
  private JShell jshell;

  @BeforeEach
  void start() {
    classes = new SnippetClasses(SnippetClassesTest.class.getClassLoader());
    jshell = JShell.builder().executionEngine(new InProcessEngine(classes), Map.of()).build();
  }

  @AfterEach
  void stop() {
    jshell.close();
  }

  private void eval(String source) {
    List<SnippetEvent> events = jshell.eval(source);
    for (SnippetEvent e : events) {
      assertEquals(Snippet.Status.VALID, e.status(), source + ": " + e);
      assertNull(e.exception(), source);
    }
  }

  @Test
  void servesOnlyTheClassesJShellMadeWithTheirStaticValues() throws Exception {
    eval("int limit = 41;");
    eval("limit = limit + 1;");
    eval("record Point(int x, int y) implements java.io.Serializable {}");
    eval("Point origin = new Point(3, 4);");
    assertFalse(classes.names().isEmpty());
    for (String name : classes.names()) {
      assertTrue(name.startsWith("REPL."), name);
    }
    String limitHolder = holderOf("limit");
    String point = classes.names().stream().filter(n -> n.endsWith("$Point")).findFirst().orElseThrow();

    // an executor's loader: nothing but what the driver serves, over a parent without the snippet classes
    ShellClassLoader executor = new ShellClassLoader("executor", SnippetClassesTest.class.getClassLoader(), name -> {
      ServedClass c = classes.resolve(name);
      if (c == null) {
        throw new ClassNotServedException(name);
      }
      return c;
    });
    Class<?> copy = executor.loadClass(limitHolder);
    assertTrue(copy.getClassLoader() == executor, "defined from the served bytes, not the driver's class");
    assertEquals(42, staticValue(copy, "limit"), "the value at the time the class was fetched");
    Object origin = staticValue(executor.loadClass(holderOf("origin")), "origin");
    assertEquals(executor.loadClass(point), origin.getClass(), "a value of a snippet class arrives as the executor's copy");
    assertEquals("Point[x=3, y=4]", origin.toString());

    for (String foreign : List.of("io.dflow.driver.Session", "io.dflow.driver.shell.SnippetClasses", "java.lang.String",
        "REPL.$JShell$999", "META-INF.MANIFEST")) {
      assertNull(classes.resolve(foreign), foreign + " is not served");
    }
  }

  @Test
  void aChangedDeclarationComesAsNewClassesNeverAsNewBytesUnderAnOldName() {
    eval("int f(int x) { return x * 2; }");
    eval("int g(int x) { return f(x) + 1; }");
    java.util.Set<String> before = classes.names();
    // a dependent (g) must be recompiled: load() refuses new bytes under a known name, so JShell gives it a new one
    List<SnippetEvent> events = jshell.eval("int f(int x) { return x * 3; }");
    assertEquals(Snippet.Status.VALID, events.get(0).status());
    assertTrue(classes.names().containsAll(before));
    assertTrue(classes.names().size() > before.size());
    List<SnippetEvent> call = jshell.eval("g(1)");
    assertEquals("4", call.get(0).value(), "g calls the new f");
  }

  @Test
  void overTheTransportOnlySnippetClassesAreServedAndOnlyToPeersWithTheSecret() throws Exception {
    eval("record Point(int x, int y) implements java.io.Serializable {}");
    String point = classes.names().stream().filter(n -> n.endsWith("$Point")).findFirst().orElseThrow();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    TransportConf conf = TransportConf.defaults(secret);
    MessageHandler ignore = new MessageHandler() {
      @Override
      public void onControl(Connection from, byte[] body) {}

      @Override
      public void onClose(Connection connection) {}
    };
    try (TransportServer server = TransportServer.start("127.0.0.1", 0,
        conf, ignore, BlockResolver.NONE, classes);
        TransportClient peer = TransportClient.connect("127.0.0.1",
            server.port(), conf, ignore)) {
      ServedClass served = peer.fetchClass(point).get(10, TimeUnit.SECONDS);
      assertArrayEquals(classes.resolve(point).bytecode(), served.bytecode());
      for (String foreign : List.of("io.dflow.driver.Session", "TransportConf",
          "java.lang.Runtime", "../../../etc/passwd")) {
        ExecutionException refused = assertThrows(
            ExecutionException.class,
            () -> peer.fetchClass(foreign).get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause() instanceof ClassNotServedException, foreign + ": " + refused.getCause());
      }
      byte[] other = secret.clone();
      other[0] ^= 1;
      IOException denied = assertThrows(IOException.class,
          () -> TransportClient.connect("127.0.0.1", server.port(),
              TransportConf.defaults(other), ignore));
      assertTrue(denied.getMessage().contains("wrong secret"), denied.getMessage());
    }
  }

  @Test
  void completesFromTheSameJShell() {
    eval("java.util.List<String> words = java.util.List.of(\"a\");");
    ShellCompletion completion = new ShellCompletion(jshell.sourceCodeAnalysis());
    List<String> values = completion.candidates("", "words.str", 9, 9).stream().map(c -> c.value()).toList();
    assertTrue(values.contains("words.stream()"), values.toString());
    // the word under the cursor starts after the space; an earlier line of the snippet counts for the types
    List<String> later = completion.candidates("var n = words.size();\n", "n + words.isE", 13, 9).stream()
        .map(c -> c.value()).toList();
    assertEquals(List.of("words.isEmpty()"), later);
  }

  private static Object staticValue(Class<?> cls, String field) throws ReflectiveOperationException {
    Field f = cls.getDeclaredField(field);
    f.setAccessible(true); // snippet classes are not public
    return f.get(null);
  }

  /** The snippet class holding variable {@code name}. */
  private String holderOf(String name) {
    return classes.names().stream().filter(n -> {
      try {
        Class<?> c = classes.loader().loadClass(n);
        return Arrays.stream(c.getDeclaredFields()).map(Field::getName).anyMatch(name::equals);
      } catch (ClassNotFoundException e) {
        return false;
      }
    }).findFirst().orElseThrow(() -> new AssertionError("no class holds " + name + " among " + classes.names()));
  }
}
