package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.testkit.ChildJvm;
import io.ucache.testkit.RedisServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tag invalidated in another JVM ({@link TagsProcess}) invalidates this JVM's tagged entries on
 * the same Redis namespace, and only that tag's.
 */
class TagsAcrossProcessesTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @TempDir Path temp;

  /** Orders tagged by tenant. */
  public interface Orders {
    @UCache(name = "orders", ttl = "10m", tags = "tenant:{0}")
    String order(String tenant, long id);
  }

  @Test
  void tagInvalidatedInAnotherJvm_thisJvmsEntriesOfTheTagAreMissedOthersKept() throws Exception {
    List<String> runs = new CopyOnWriteArrayList<>();
    String namespace = "tags-processes";
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
            .engine("redis").set("redis.url", redis.url()).set("namespace", namespace).build());
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      Orders orders = ucache.proxy(Orders.class, (tenant, id) -> {
        runs.add(tenant + ":" + id);
        return tenant + ":" + id;
      });
      orders.order("acme", 1);
      orders.order("globex", 1);

      try (ChildJvm child = ChildJvm.start(temp.resolve("child.stderr"), TagsProcess.class,
          redis.url(), namespace, "acme")) {
        child.line("DONE", Duration.ofSeconds(60));
      }
      orders.order("acme", 1);
      orders.order("globex", 1);

      assertThat(runs).containsExactly("acme:1", "globex:1", "acme:1");
    }
  }
}
