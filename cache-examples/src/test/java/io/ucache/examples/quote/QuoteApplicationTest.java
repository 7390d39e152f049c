package io.ucache.examples.quote;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the quote service on a free port and talks to it over HTTP. */
class QuoteApplicationTest {

  private static ConfigurableApplicationContext app;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    app = QuoteApplication.start("--server.port=0", "--quotes.exchange-latency=0ms");
  }

  @AfterAll
  static void stop() {
    CacheEngine engine = app.getBean(CacheEngine.class);
    app.close();
    assertThat(engine.isClosed()).isTrue();
  }

  private static String get(String path) throws Exception {
    HttpResponse<String> response = send(path);
    assertThat(response.statusCode()).as(path + " -> " + response.body()).isEqualTo(200);
    return response.body();
  }

  private static HttpResponse<String> send(String path) throws Exception {
    String port = app.getEnvironment().getProperty("local.server.port");
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double number(String json, String field) {
    Matcher m = Pattern.compile("\"" + field + "\"\\s*:\\s*\"?([0-9.E+-]+)").matcher(json);
    assertThat(m.find()).as(field + " in " + json).isTrue();
    return Double.parseDouble(m.group(1));
  }

  /** The value of a metric's first measurement (COUNT); 0 before its cache exists (404). */
  private static double metric(String query) throws Exception {
    HttpResponse<String> response = send("/actuator/metrics/" + query);
    if (response.statusCode() == 404) {
      return 0;
    }
    assertThat(response.statusCode()).as(query + " -> " + response.body()).isEqualTo(200);
    return number(response.body(), "value");
  }

  @Test
  void secondCall_isServedFromTheCache_andTheMetricsMove() throws Exception {
    double hitsBefore = metric("cache.gets?tag=cache:company-names&tag=result:hit");
    int callsBefore = app.getBean(Exchange.class).calls();

    String first = get("/quotes/ACME");
    String second = get("/quotes/ACME");

    assertThat(first).contains("\"symbol\":\"ACME\"").contains("ACME Corporation");
    // Two exchange calls for the first request (price and name), none for the second.
    assertThat(number(first, "exchangeCalls")).isEqualTo(callsBefore + 2);
    assertThat(second).isEqualTo(first); // the same quote, priced once, and no new call
    assertThat(app.getBean(Exchange.class).calls()).isEqualTo(callsBefore + 2);

    assertThat(metric("cache.gets?tag=cache:company-names&tag=result:hit"))
        .isEqualTo(hitsBefore + 1);
    assertThat(metric("cache.gets?tag=cache:company-names&tag=result:miss")).isGreaterThan(0);
    assertThat(metric("cache.puts?tag=cache:company-names")).isGreaterThan(0);
    assertThat(metric("cache.size?tag=cache:company-names")).as("caffeine can tell its size")
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void actuator_listsTheCaches_andTheEngineIsHealthy() throws Exception {
    get("/quotes/XYZ");
    assertThat(get("/actuator/caches")).contains("company-names");
    assertThat(get("/actuator/health")).contains("\"ucache\"").contains("caffeine");
    assertThat(app.getBean(CacheEngine.class).cacheNames()).contains("quotes", "company-names");
  }
}
