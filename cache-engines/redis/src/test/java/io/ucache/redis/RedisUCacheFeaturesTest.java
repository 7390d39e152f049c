package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.UCacheFeaturesContract;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The annotation features contract (puts, conditions, evictions, bulk methods) on the redis
 * engine, a namespace per engine; and what a bulk method costs in Redis commands.
 */
class RedisUCacheFeaturesTest extends UCacheFeaturesContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "features-" + NAMESPACES.incrementAndGet());
  }

  /** Accounts by id, in bulk. */
  public interface Accounts {
    @UCache(name = "accounts", bulk = true)
    Map<Long, String> accounts(Collection<Long> ids);
  }

  @Test
  void bulk_hundredIdsNinetyCached_oneMgetOneCallWithTenIdsTenPipelinedWrites() {
    List<List<Long>> calls = new CopyOnWriteArrayList<>();
    Accounts source = ids -> {
      calls.add(List.copyOf(ids));
      return ids.stream().collect(Collectors.toMap(Function.identity(), id -> "account-" + id));
    };
    try (CacheEngine engine = EngineManager.getDefault().create(baseConfig().build());
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      Accounts accounts = ucache.proxy(Accounts.class, source);
      accounts.accounts(LongStream.range(0, 90).boxed().toList());
      redis.cli("CONFIG", "RESETSTAT");

      Map<Long, String> all = accounts.accounts(LongStream.range(0, 100).boxed().toList());

      assertThat(all).hasSize(100).containsEntry(95L, "account-95");
      assertThat(calls).hasSize(2);
      assertThat(calls.get(1)).as("the method's second call: the ten ids that missed")
          .containsExactlyElementsOf(LongStream.range(90, 100).boxed().toList());
      String stats = redis.cli("INFO", "commandstats");
      assertThat(calls(stats, "mget")).as("one read of the hundred").isEqualTo(1);
      // Ten set-if-absent scripts, pipelined in one round trip (a write that raced the load
      // keeps its value); the GET and SET each runs inside are all the other commands.
      assertThat(calls(stats, "eval")).as("writes of the ten loaded").isEqualTo(10);
      assertThat(calls(stats, "get")).isEqualTo(10);
      assertThat(calls(stats, "set")).isEqualTo(10);
    }
  }

  private static long calls(String commandStats, String command) {
    return commandStats.lines()
        .filter(line -> line.startsWith("cmdstat_" + command + ":"))
        .map(line -> line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"))
        .mapToLong(Long::parseLong).sum();
  }
}
