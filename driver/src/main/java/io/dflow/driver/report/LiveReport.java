package io.dflow.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dflow.driver.history.EventLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The report of the running application over HTTP: {@code /} is the same page {@code dflow
 * report} writes, drawn from the events so far and fetching {@code /data.json} again every few
 * seconds. It keeps the application's events in memory, the same ones the event log writes, and
 * stops with the application.
 *
 * <p>Threading: {@link #append} on the listener bus's thread, requests on the server's one
 * thread; the events are guarded by {@code this}.
 */
public final class LiveReport implements AutoCloseable {
  /** Ports tried from the one set, as Spark's UI tries 4040, 4041...: a second application gets the next. */
  static final int PORT_ATTEMPTS = 16;

  private final List<JsonNode> events = new ArrayList<>();
  private final HttpServer server;
  private final ExecutorService thread;

  /**
   * Serves on {@code host}:{@code port} or the first free one of the next {@value #PORT_ATTEMPTS}
   * (any free port for 0).
   *
   * @param start the application's first event ({@link EventLog#applicationStart})
   */
  public LiveReport(Map<String, Object> start, String host, int port) throws IOException {
    events.add(HtmlReport.JSON.valueToTree(start));
    this.server = bind(host, port);
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "dflow-live-report");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(thread);
    server.createContext("/", this::serve);
    server.start();
  }

  private static HttpServer bind(String host, int port) throws IOException {
    if (new InetSocketAddress(host, 0).isUnresolved()) {
      throw new IOException("cannot serve the live report: dflow.ui.host=" + host + " is not a known address");
    }
    BindException last = null;
    for (int i = 0; i < (port == 0 ? 1 : PORT_ATTEMPTS) && port + i <= 65535; i++) {
      try {
        return HttpServer.create(new InetSocketAddress(host, port + i), 0);
      } catch (BindException e) {
        last = e;
      }
    }
    throw new IOException("cannot serve the live report on " + host + " (dflow.ui.host) at "
        + (port == 0 ? "any port" : "a port from " + port + " to " + (port + PORT_ATTEMPTS - 1) + " (dflow.ui.port)")
        + ": " + last.getMessage(), last);
  }

  /** Where the page is: {@code http://127.0.0.1:4040/}. */
  public String url() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().getHostAddress();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
  }

  /** Keeps one event, as {@link EventLog#describe} gives it (the same map the event log writes). */
  public void append(Map<String, Object> event) {
    JsonNode node = HtmlReport.JSON.valueToTree(event);
    synchronized (this) {
      events.add(node);
    }
  }

  /** The report of the events so far. */
  public AppReport report() {
    List<JsonNode> now;
    synchronized (this) {
      now = List.copyOf(events);
    }
    return AppReport.of(now);
  }

  private void serve(HttpExchange x) throws IOException {
    try (x) {
      String path = x.getRequestURI().getPath();
      byte[] body;
      String type;
      int status = 200;
      if (!x.getRequestMethod().equals("GET") && !x.getRequestMethod().equals("HEAD")) {
        status = 405;
        body = "only GET\n".getBytes(StandardCharsets.UTF_8);
        type = "text/plain; charset=utf-8";
      } else if (path.equals("/")) {
        body = HtmlReport.render(report(), "data.json").getBytes(StandardCharsets.UTF_8);
        type = "text/html; charset=utf-8";
      } else if (path.equals("/data.json")) {
        body = HtmlReport.json(report()).getBytes(StandardCharsets.UTF_8);
        type = "application/json";
      } else {
        status = 404;
        body = ("no " + path + " here: the report is at /\n").getBytes(StandardCharsets.UTF_8);
        type = "text/plain; charset=utf-8";
      }
      x.getResponseHeaders().set("Content-Type", type);
      x.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = x.getRequestMethod().equals("HEAD");
      x.sendResponseHeaders(status, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = x.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  /** Stops serving. */
  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
  }
}
