package io.dflow.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dflow.driver.history.EventLog;
import io.dflow.driver.history.EventLogs;
import io.dflow.driver.report.AppReport;
import io.dflow.driver.report.HtmlReport;
import io.dflow.driver.report.LiveReport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dflow.ui.port}: while a real application runs ({@code dflowtest.jobs.GatedJob} on
 * local[2], its second job held by a gate file), its report is served over HTTP on loopback only;
 * the data shows the first job's 4 task attempts, as its event log has them at the end, and the
 * second job running; headless Chromium draws the page; the server stops with the application.
 */
class LiveReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void theRunningApplicationsReportIsServedOverHttpUntilItEnds() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path gate = dir.resolve("gate");
    Path logs = dir.resolve("events");
    String jar = TestJars.testJobs(dir).toString();
    CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of("run", "--master", "local[2]",
        "--class", "dflowtest.jobs.GatedJob", "--conf", "dflow.eventLog.dir=" + logs, "--conf", "dflow.ui.port=" + port,
        jar, gate.toString()));
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port + "/";
    JsonNode live;
    try {
      live = awaitSecondJobRunning(http, base, run);

      assertTrue(live.path("incomplete").asBoolean());
      assertEquals("succeeded", live.path("jobs").get(0).path("status").asText(), live.path("jobs").toString());
      assertEquals("running", live.path("jobs").get(1).path("status").asText(), live.path("jobs").toString());
      assertEquals(4, live.path("tasks").size(), "the first job's 4 attempts; the second's wait at the gate");
      JsonNode running = stageOfJob(live, 1);
      assertEquals("running", running.path("status").asText());
      assertEquals(0, running.path("succeeded").asInt());

      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, page.statusCode());
      assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
      assertTrue(page.body().contains("<meta name=\"dflow-live\" content=\"data.json\">"), "the page refreshes itself");
      assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "nothing")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode());

      String dom = HeadlessChromium.dumpDom(base, dir);
      assertTrue(dom.contains("data-rendered=\"ok\""), dom.substring(0, Math.min(3000, dom.length())));
      assertTrue(dom.contains("id=\"live\""), "the page says it is live");
      assertEquals(4, ReportCharts.timelineBars(dom).size(), "a bar per attempt: " + ReportCharts.timelineBars(dom));
      assertTrue(!dom.contains("data-errors="), "no script error");
      assertEquals(2, count(dom, "<tr class=\"stage-row\""));

      for (InetAddress other : nonLoopbackAddresses()) {
        try (Socket s = new Socket()) {
          assertThrows(IOException.class, () -> s.connect(new InetSocketAddress(other, port), 2000),
              "served on " + other + " too: it must listen on loopback only");
        }
      }
    } finally {
      Files.createFile(gate);
    }
    CliRun done = run.get(5, TimeUnit.MINUTES);
    assertEquals(0, done.exit(), done.err());
    assertTrue(done.err().contains("live report: " + base), done.err());
    assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(URI.create(base)).build(),
        HttpResponse.BodyHandlers.ofString()), "the server stops with the application");

    Matcher logLine = Pattern.compile("event log: (\\S+)").matcher(done.err());
    assertTrue(logLine.find(), done.err());
    AppReport finished = AppReport.of(EventLogs.read(Path.of(logLine.group(1))));
    assertEquals(6, finished.tasks().size());
    JsonNode end = JSON.readTree(HtmlReport.json(finished));
    assertEquals(stageOfJob(end, 0), stageOfJob(live, 0), "the live first stage is the logged one");
    List<String> liveTasks = new ArrayList<>();
    live.path("tasks").forEach(t -> liveTasks.add(key(t)));
    List<String> loggedTasks = new ArrayList<>();
    end.path("tasks").forEach(t -> loggedTasks.add(key(t)));
    assertTrue(loggedTasks.containsAll(liveTasks), liveTasks + " in " + loggedTasks);
  }

  @Test
  void aBadPortOrHostIsAnErrorNamingTheSetting() throws IOException {
    CliRun run = CliRun.of("run", "--master", "local[1]", "--class", "dflowtest.jobs.GatedJob", "--conf",
        "dflow.ui.port=http", "no.jar", "gate");
    assertTrue(run.exit() != 0);
    assertTrue(run.err().contains("dflow.ui.port=http is not valid: it must be a port number"), run.err());
    CliRun badHost = CliRun.of("run", "--master", "local[1]", "--class", "dflowtest.jobs.GatedJob", "--conf",
        "dflow.ui.port=0", "--conf", "dflow.ui.host=no.such.host.invalid", "--conf", "dflow.eventLog.dir=" + dir,
        TestJars.testJobs(dir).toString(), dir.resolve("gate").toString());
    assertEquals(1, badHost.exit());
    assertEquals("error: cannot serve the live report: dflow.ui.host=no.such.host.invalid is not a known address",
        badHost.firstErrLine());
  }

  @Test
  void aTakenPortIsFollowedByTheNextFreeOne() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        LiveReport live = new LiveReport(EventLog.applicationStart("app-1", "Live", "local[1]", Map.of()),
            "127.0.0.1", taken.getLocalPort())) {
      int port = URI.create(live.url()).getPort();
      assertTrue(port > taken.getLocalPort() && port < taken.getLocalPort() + 16, live.url());
      assertEquals("incomplete", live.report().status());
    }
  }

  /** Polls the data until the first job has ended and the second's stage runs; fails if the application ends first. */
  private static JsonNode awaitSecondJobRunning(HttpClient http, String base, CompletableFuture<CliRun> run)
      throws IOException, InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(3); // a guard against a hang, not a timing check
    while (true) {
      if (run.isDone()) {
        fail("the application ended with its second job at the gate: " + run.join().err());
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "data.json")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          JsonNode data = JSON.readTree(r.body());
          if (data.path("jobs").size() == 2 && stageOfJob(data, 1) != null) {
            return data;
          }
        }
      } catch (ConnectException e) {
        // not serving yet
      }
      if (System.nanoTime() > giveUp) {
        fail("the live report never showed the second job running");
      }
      Thread.sleep(100);
    }
  }

  private static JsonNode stageOfJob(JsonNode report, int job) {
    for (JsonNode s : report.path("stages")) {
      if (s.path("job").asInt() == job) {
        return s;
      }
    }
    return null;
  }

  private static String key(JsonNode t) {
    return t.path("stage").asInt() + "/" + t.path("partition").asInt() + "." + t.path("attempt").asInt() + " "
        + t.path("reason").asText() + " " + t.path("runMillis").asLong();
  }

  private static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  private static List<InetAddress> nonLoopbackAddresses() throws IOException {
    List<InetAddress> out = new ArrayList<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (ni.isUp() && !ni.isLoopback()) {
        Collections.list(ni.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address).forEach(out::add);
      }
    }
    return out;
  }
}
