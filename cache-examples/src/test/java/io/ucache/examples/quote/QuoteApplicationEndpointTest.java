package io.ucache.examples.quote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code ucache} Actuator endpoint over HTTP, as Boot exposes endpoints: not exposed unless
 * included; once included, readable, and its write operations (evict a key, clear a cache) only
 * with {@code management.endpoint.ucache.access=unrestricted}.
 */
class QuoteApplicationEndpointTest {

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void notIncluded_notExposed() throws Exception {
    try (ConfigurableApplicationContext app = QuoteApplication.start("--server.port=0",
        "--quotes.exchange-latency=0ms")) {
      assertThat(send(app, "GET", "/actuator/ucache").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void included_readable_writesOnlyWithUnrestrictedAccess() throws Exception {
    String include = "--management.endpoints.web.exposure.include=health,caches,ucache";
    try (ConfigurableApplicationContext app = QuoteApplication.start("--server.port=0",
        "--quotes.exchange-latency=0ms", include)) {
      send(app, "GET", "/quotes/ACME");
      HttpResponse<String> report = send(app, "GET", "/actuator/ucache");
      assertThat(report.statusCode()).isEqualTo(200);
      assertThat(report.body()).contains("\"engine\":\"caffeine\"", "\"quotes\"",
          "\"company-names\"", "\"misses\":1");
      assertThat(send(app, "GET", "/actuator/ucache/quotes").body()).contains("\"ttl\":\"PT5S\"");
      assertThat(send(app, "DELETE", "/actuator/ucache/quotes/ACME").statusCode())
          .as("read-only by default").isNotEqualTo(200);
      assertThat(send(app, "GET", "/actuator/caches").body()).contains("company-names");
    }
    try (ConfigurableApplicationContext app = QuoteApplication.start("--server.port=0",
        "--quotes.exchange-latency=0ms", include,
        "--management.endpoint.ucache.access=unrestricted")) {
      send(app, "GET", "/quotes/ACME");
      int calls = app.getBean(Exchange.class).calls();

      HttpResponse<String> evicted = send(app, "DELETE", "/actuator/ucache/quotes/ACME");
      assertThat(evicted.statusCode()).isEqualTo(200);
      assertThat(evicted.body()).contains("\"evicted\":1");
      send(app, "GET", "/quotes/ACME");
      assertThat(app.getBean(Exchange.class).calls()).as("priced again").isEqualTo(calls + 1);

      assertThat(send(app, "DELETE", "/actuator/ucache/company-names").statusCode())
          .isEqualTo(200);
      assertThat(send(app, "GET", "/actuator/ucache/no-such-cache").statusCode()).isEqualTo(404);
    }
  }

  private static HttpResponse<String> send(ConfigurableApplicationContext app, String method,
      String path) throws Exception {
    String port = app.getEnvironment().getProperty("local.server.port");
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
