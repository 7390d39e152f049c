package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.testkit.NamedCacheKeysContract;
import io.ucache.testkit.RedisServerExtension;
import java.io.File;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The named-cache key rule on the redis engine, plus what only a shared server shows: the key
 * in Redis is {@code <namespace>:<cache>:<arguments>}, and an {@code @UCacheEvict} in a second
 * JVM, which never proxied the reading method, removes the entry.
 */
class RedisNamedCacheKeysTest extends NamedCacheKeysContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "named-" + NAMESPACES.incrementAndGet());
  }

  @Override
  protected CacheEngine sharingEngine(CacheEngine first, CacheConfig firstConfig) {
    return EngineManager.getDefault().create(firstConfig);
  }

  @Test
  void call_namedCache_redisKeyIsNamespaceCacheAndArguments() {
    CacheConfig config = baseConfig().build();
    String namespace = config.namespace();
    CacheEngine engine = closedAfter(EngineManager.getDefault().create(config));
    Prices prices = closedAfter(UCacheInterceptor.using(engine))
        .proxy(Prices.class, new CountingPrices());

    prices.price("ACME");
    prices.rate(Currency.EUR, Currency.USD);

    assertThat(redis.cli("KEYS", namespace + ":*").lines().sorted().toList())
        .containsExactly(namespace + ":named-prices:ACME", namespace + ":named-rates:EUR:USD");
  }

  @Test
  void evict_fromASecondJvmThatNeverProxiedTheReader_removesTheEntry() throws Exception {
    CacheConfig config = baseConfig().build();
    CacheEngine engine = closedAfter(EngineManager.getDefault().create(config));
    CountingPrices target = new CountingPrices();
    Prices prices = closedAfter(UCacheInterceptor.using(engine)).proxy(Prices.class, target);
    assertThat(prices.price("ACME")).isEqualTo("ACME#1");
    assertThat(prices.price("ACME")).isEqualTo("ACME#1");

    Process other = new ProcessBuilder(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        EvictInAnotherJvm.class.getName(), redis.url(), config.namespace(), "ACME")
        .redirectErrorStream(true)
        .redirectOutput(new File("target/evict-in-another-jvm.log"))
        .start();
    assertThat(other.waitFor(60, TimeUnit.SECONDS)).as("the second JVM ended").isTrue();
    assertThat(other.exitValue()).as("its exit code; output in target/evict-in-another-jvm.log")
        .isZero();

    assertThat(prices.price("ACME")).isEqualTo("ACME#2");
  }

  /** The second JVM: an admin service with only {@code @UCacheEvict}, on the same namespace. */
  public static final class EvictInAnotherJvm {
    public static void main(String[] args) {
      CacheConfig config = CacheConfig.builder().engine("redis").set("redis.url", args[0])
          .set("namespace", args[1]).set("fail-mode", "closed").build();
      try (CacheEngine engine = EngineManager.getDefault().create(config);
          UCacheInterceptor interceptor = UCacheInterceptor.using(engine)) {
        interceptor.proxy(PriceAdmin.class, new QuietAdmin()).priceChanged(args[2]);
      }
      System.out.println("evicted");
    }
  }
}
