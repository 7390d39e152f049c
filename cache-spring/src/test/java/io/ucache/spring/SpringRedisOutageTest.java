package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.ucache.CacheException;
import io.ucache.annotation.UCache;
import io.ucache.testkit.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One failure policy in a Spring Boot application on Redis: with {@code fail-mode} unset (open),
 * {@code @UCache} and {@code @Cacheable} methods both keep answering while Redis is killed under
 * load and restarted, the application starts while Redis is down and caches once it is back, and
 * health is never DOWN; with {@code fail-mode=closed} both fail alike. Redis is a real
 * {@code redis-server}, killed with SIGKILL and started again on its port.
 */
class SpringRedisOutageTest {

  private static final Duration AWAIT = Duration.ofSeconds(30);

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.create();

  /** Both kinds of annotated method, counting the runs that reached them. */
  public static class Quotes {
    final ConcurrentHashMap<String, AtomicInteger> runs = new ConcurrentHashMap<>();

    @UCache(name = "outage-ucache")
    public String viaUCache(String symbol) {
      runs.computeIfAbsent("u:" + symbol, k -> new AtomicInteger()).incrementAndGet();
      return "quote:" + symbol;
    }

    @Cacheable("outage-cacheable")
    public String viaCacheable(String symbol) {
      runs.computeIfAbsent("c:" + symbol, k -> new AtomicInteger()).incrementAndGet();
      return "quote:" + symbol;
    }

    int runs(String key) {
      AtomicInteger count = runs.get(key);
      return count == null ? 0 : count.get();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableCaching
  static class App {
    @Bean
    Quotes quotes() {
      return new Quotes();
    }
  }

  private ApplicationContextRunner runner(String... properties) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
            UCacheAutoConfiguration.class, CacheAutoConfiguration.class))
        .withUserConfiguration(App.class)
        .withPropertyValues("ucache.engine=redis", "ucache.redis.url=" + REDIS.url(),
            "ucache.namespace=outage-" + System.nanoTime(), "ucache.timeout=300ms",
            "ucache.circuit-breaker.cool-down=200ms")
        .withPropertyValues(properties);
  }

  @AfterEach
  void redisBack() {
    REDIS.start();
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("Timed out after " + AWAIT + " waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }

  private static Health health(ApplicationContext context) {
    return context.getBean(UCacheHealthIndicator.class).health();
  }

  /** Whether both methods serve {@code symbol} from the cache now (no run reaches them). */
  private static boolean bothCached(Quotes quotes, String symbol) {
    quotes.viaUCache(symbol);
    quotes.viaCacheable(symbol);
    int before = quotes.runs("u:" + symbol) + quotes.runs("c:" + symbol);
    quotes.viaUCache(symbol);
    quotes.viaCacheable(symbol);
    return quotes.runs("u:" + symbol) + quotes.runs("c:" + symbol) == before;
  }

  @Test
  void redisKilledAndRestartedUnderLoad_bothAnnotationsKeepAnswering_healthNeverDown() {
    runner().run(context -> {
      assertThat(context).hasNotFailed();
      Quotes quotes = context.getBean(Quotes.class);
      assertThat(bothCached(quotes, "warm")).as("cached while Redis is up").isTrue();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      AtomicBoolean running = new AtomicBoolean(true);
      AtomicLong answered = new AtomicLong();
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int worker = w;
        Thread thread = new Thread(() -> {
          for (int i = 0; running.get(); i++) {
            String symbol = "s" + (i + worker) % 20;
            try {
              assertThat(quotes.viaUCache(symbol)).isEqualTo("quote:" + symbol);
              assertThat(quotes.viaCacheable(symbol)).isEqualTo("quote:" + symbol);
              answered.incrementAndGet();
            } catch (Throwable t) {
              failures.add(t);
              return;
            }
          }
        });
        thread.start();
        workers.add(thread);
      }
      List<Status> seen = new CopyOnWriteArrayList<>();
      try {
        await("calls answered before the kill", () -> answered.get() > 500);
        REDIS.stop();
        long atKill = answered.get();
        await("health says degraded", () -> {
          Health health = health(context);
          seen.add(health.getStatus());
          return health.getDetails().containsKey("degraded");
        });
        await("calls answered while Redis is down", () -> answered.get() > atKill + 500);
        REDIS.start();
        await("health up again, not degraded", () -> {
          Health health = health(context);
          seen.add(health.getStatus());
          return !health.getDetails().containsKey("degraded");
        });
        await("both methods cached again", () -> bothCached(quotes, "after"));
      } finally {
        running.set(false);
        for (Thread worker : workers) {
          worker.join();
        }
      }
      assertThat(failures).as("what callers saw").isEmpty();
      assertThat(seen).as("health readings").isNotEmpty().doesNotContain(Status.DOWN);
    });
  }

  @Test
  void redisDownAtStart_applicationStarts_answers_thenCachesOnceRedisIsBack() {
    REDIS.stop();
    runner().run(context -> {
      assertThat(context).hasNotFailed();
      Quotes quotes = context.getBean(Quotes.class);

      assertThat(quotes.viaUCache("a")).isEqualTo("quote:a");
      assertThat(quotes.viaCacheable("a")).isEqualTo("quote:a");
      assertThat(quotes.viaUCache("a")).isEqualTo("quote:a");
      assertThat(quotes.viaCacheable("a")).isEqualTo("quote:a");
      assertThat(quotes.runs("u:a")).as("uncached while Redis is down").isEqualTo(2);
      assertThat(quotes.runs("c:a")).isEqualTo(2);
      Health down = health(context);
      assertThat(down.getStatus()).isEqualTo(Status.UP);
      assertThat(down.getDetails()).containsKey("degraded").containsEntry("failMode", "open");

      REDIS.start();
      await("both methods cached once Redis is back", () -> bothCached(quotes, "b"));
    });
  }

  @Test
  void failModeClosed_redisKilled_bothAnnotationsFailAlike() {
    runner("ucache.fail-mode=closed").run(context -> {
      assertThat(context).hasNotFailed();
      Quotes quotes = context.getBean(Quotes.class);
      assertThat(bothCached(quotes, "a")).isTrue();

      REDIS.stop();

      assertThatThrownBy(() -> quotes.viaUCache("b")).isInstanceOf(CacheException.class);
      assertThatThrownBy(() -> quotes.viaCacheable("b")).isInstanceOf(CacheException.class);
      assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);
    });
  }
}
