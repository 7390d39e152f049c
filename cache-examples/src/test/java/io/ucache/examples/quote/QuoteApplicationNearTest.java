package io.ucache.examples.quote;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.testkit.RedisServerExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The quote service with near caches over Redis, by configuration alone (the README's command
 * line): its {@code @UCache} and {@code @Cacheable} methods are served from in-process copies.
 */
class QuoteApplicationNearTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private static String get(ConfigurableApplicationContext app, String path) throws Exception {
    String port = app.getEnvironment().getProperty("local.server.port");
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + " -> " + response.body()).isIn(200, 404);
    return response.statusCode() == 404 ? "" : response.body();
  }

  private static double nearHits(ConfigurableApplicationContext app, String cache)
      throws Exception {
    String body = get(app, "/actuator/metrics/cache.near.gets?tag=cache:" + cache
        + "&tag=result:hit");
    Matcher m = Pattern.compile("\"value\"\\s*:\\s*([0-9.E+-]+)").matcher(body);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  @Test
  void nearEnabledByConfiguration_bothAnnotationsServedFromTheProcessCopy() throws Exception {
    try (ConfigurableApplicationContext app = QuoteApplication.start("--server.port=0",
        "--quotes.exchange-latency=0ms", "--ucache.engine=redis",
        "--ucache.redis.url=" + redis.url(), "--ucache.near.enabled=true")) {
      // Copies are kept once the engine's invalidation connection is up, a moment after start.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while ((nearHits(app, "quotes") == 0 || nearHits(app, "company-names") == 0)
          && System.nanoTime() < deadline) {
        assertThat(get(app, "/quotes/ACME")).contains("ACME Corporation");
      }

      assertThat(nearHits(app, "quotes")).as("@UCache near hits").isPositive();
      assertThat(nearHits(app, "company-names")).as("@Cacheable near hits").isPositive();
      assertThat(redis.cli("EXISTS", "ucache:company-names:ACME")).isEqualTo("1");
    }
  }
}
