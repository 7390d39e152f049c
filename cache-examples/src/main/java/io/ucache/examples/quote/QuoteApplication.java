package io.ucache.examples.quote;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The quote service: {@code java -cp cache-examples/target/ucache-examples.jar
 * io.ucache.examples.quote.QuoteApplication}, then {@code curl localhost:8080/quotes/ACME}.
 * Every {@code ucache.*} key can be set as {@code --ucache.engine=ehcache}, in the environment
 * ({@code UCACHE_ENGINE=ehcache}) or in an {@code application.properties}.
 */
@SpringBootApplication
@EnableCaching
public class QuoteApplication {

  /** Defaults of this example; command-line arguments and the environment override them. */
  static final Map<String, Object> DEFAULTS = Map.of(
      "spring.main.banner-mode", "off",
      "management.endpoints.web.exposure.include", "health,metrics,caches",
      "management.endpoint.health.show-details", "always",
      "ucache.max-size", "10000",
      "ucache.ttl", "10m",
      "ucache.caches.company-names.ttl", "1d");

  public static void main(String[] args) {
    ConfigurableApplicationContext context = start(args);
    String port = context.getEnvironment().getProperty("local.server.port");
    System.out.println("Quote service on http://localhost:" + port + "/quotes/ACME "
        + "(metrics: /actuator/metrics/cache.gets, caches: /actuator/caches); Ctrl-C stops it");
  }

  /** Starts the application with {@code args} over {@link #DEFAULTS}. */
  public static ConfigurableApplicationContext start(String... args) {
    SpringApplication application = new SpringApplication(QuoteApplication.class);
    application.setDefaultProperties(DEFAULTS);
    return application.run(args);
  }
}
