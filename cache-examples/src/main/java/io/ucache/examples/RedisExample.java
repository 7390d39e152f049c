package io.ucache.examples;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineContext;
import io.ucache.context.EngineManager;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One cache shared through Redis by the {@code redis} engine: what one engine stores, another (in
 * this process here; on another machine in real life) reads, and so do redis-cli and other
 * languages, as Strings are stored as plain UTF-8. Run it with a server's URL:
 * {@code UCACHE_REDIS_URL=redis://localhost:6379 java -cp cache-examples/target/ucache-examples.jar
 * io.ucache.examples.RedisExample}.
 */
public final class RedisExample {
  private RedisExample() {}

  /**
   * What the run saw: the value the second engine read, the values it read in one round trip,
   * and the Redis key of the first entry.
   */
  public record Result(String readBySecond, Map<String, String> bulk, String redisKey) {}

  public static void main(String[] args) {
    String url = redisUrl(args);
    if (url != null) {
      run(System.out, url);
    }
  }

  /**
   * The server an example runs against: its first argument, else {@code UCACHE_REDIS_URL};
   * without either, says how to give one and returns {@code null}.
   */
  static @Nullable String redisUrl(String[] args) {
    String url = args.length > 0 ? args[0] : System.getenv("UCACHE_REDIS_URL");
    if (url == null) {
      System.out.println("Set UCACHE_REDIS_URL=redis://host:port (or pass the URL) to run it.");
    }
    return url;
  }

  /** One run against the server at {@code redisUrl}. */
  public static Result run(PrintStream out, String redisUrl) {
    String readBySecond;
    Map<String, String> bulk;
    // [redis]
    CacheConfig config = CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redisUrl)           // or redis.password / redis.username apart
        .set("namespace", "examples")         // keys are examples:<cache>:<key>
        .set("timeout", "500ms")              // no call waits longer
        .set("fail-mode", "open")             // server down: misses, not errors
        .set("redis.value-format", "plain")   // text that redis-cli and other languages read
        .cache("greetings", greetings -> greetings.ttl(Duration.ofMinutes(10)))
        .build();
    try (EngineContext first = EngineContext.open(config);
        CacheEngine second = EngineManager.getDefault().create(config)) { // another process
      Cache<String, String> greetings = first.cache("greetings", String.class, String.class);
      greetings.put("en", "Hello");
      greetings.putAll(Map.of("fr", "Bonjour", "de", "Hallo")); // one round trip

      Cache<String, String> seen = second.cache("greetings", String.class, String.class);
      readBySecond = seen.get("en");                              // "Hello"
      bulk = seen.getAll(List.of("en", "fr", "de", "es"));        // one MGET; "es" absent
    }
    // [redis]
    // redis-cli GET examples:greetings:en  prints  Hello
    out.printf("  the second engine read %s; in one round trip %s%n", readBySecond, bulk);
    out.println("  redis-cli GET examples:greetings:en prints " + readBySecond);
    return new Result(readBySecond, bulk, "examples:greetings:en");
  }
}
