package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.annotation.UCache;
import io.ucache.testkit.RedisServerExtension;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code ucache} endpoint's operations on a Boot application's engine: the report (engine,
 * configuration with secrets masked, health, caches with statistics), evicting a key given as its
 * canonical text, clearing a cache; on caffeine (keys held as objects) and redis (keys as text).
 * Its HTTP exposure and access rules are tested with the examples' quote service.
 */
class UCacheEndpointTest {

  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.withPassword("hunter2");

  /** Accounts by id, counting the reads. */
  static class Accounts {
    final AtomicInteger reads = new AtomicInteger();

    @UCache(name = "accounts")
    public String account(Long id) {
      reads.incrementAndGet();
      return "account-" + id;
    }

    @UCache(name = "pairs")
    public String pair(String left, String right) {
      reads.incrementAndGet();
      return left + "/" + right;
    }

    public int reads() {
      return reads.get();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Services {
    @Bean
    Accounts accounts() {
      return new Accounts();
    }
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
            UCacheAutoConfiguration.class))
        .withUserConfiguration(Services.class);
  }

  @Test
  void report_theEngineAndEachCacheWithItsStatistics() {
    runner().withPropertyValues("ucache.engine=caffeine", "ucache.ttl=10m").run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      accounts.account(1L);
      accounts.account(1L);

      UCacheEndpoint.EngineReport report = context.getBean(UCacheEndpoint.class).engine();

      assertThat(report.engine()).isEqualTo("caffeine");
      assertThat(report.health().status()).isEqualTo("UP");
      assertThat(report.configuration()).containsEntry("ttl", "PT10M");
      UCacheEndpoint.CacheReport cache = report.caches().get("accounts");
      assertThat(cache.statistics().hits()).isEqualTo(1);
      assertThat(cache.statistics().misses()).isEqualTo(1);
      assertThat(cache.size()).isEqualTo(1);
      assertThat(context.getBean(UCacheEndpoint.class).cache("no-such-cache")).isNull();
    });
  }

  @Test
  void evict_byCanonicalText_onAnInProcessEngine_oneArgumentAndSeveral() {
    runner().withPropertyValues("ucache.engine=caffeine").run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      UCacheEndpoint endpoint = context.getBean(UCacheEndpoint.class);
      accounts.account(42L);
      accounts.pair("a:b", "c");

      assertThat(endpoint.evict("accounts", "42")).containsEntry("evicted", 1);
      assertThat(endpoint.evict("pairs", "a%3Ab:c")).containsEntry("evicted", 1);
      assertThat(endpoint.evict("accounts", "43")).containsEntry("evicted", 0);

      accounts.account(42L);
      accounts.pair("a:b", "c");
      assertThat(accounts.reads()).as("both read again").isEqualTo(4);
    });
  }

  @Test
  void evictAndClear_onRedis_secretsMasked() {
    runner().withPropertyValues("ucache.engine=redis",
            "ucache.redis.url=" + REDIS.url(), "ucache.redis.password=hunter2",
            "ucache.namespace=endpoint").run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      UCacheEndpoint endpoint = context.getBean(UCacheEndpoint.class);
      accounts.account(7L);
      accounts.account(8L);

      assertThat(endpoint.engine().configuration().toString()).doesNotContain("hunter2");
      assertThat(endpoint.evict("accounts", "7")).containsEntry("evicted", 1);
      accounts.account(7L);
      accounts.account(8L);
      assertThat(accounts.reads()).isEqualTo(3);

      assertThat(endpoint.clear("accounts")).isEqualTo(Map.of("cache", "accounts",
          "cleared", true));
      accounts.account(8L);
      assertThat(accounts.reads()).isEqualTo(4);
    });
  }
}
