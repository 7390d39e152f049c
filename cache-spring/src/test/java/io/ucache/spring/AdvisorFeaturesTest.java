package io.ucache.spring;

import io.ucache.CacheConfig;
import io.ucache.ehcache.EhcacheSettings;
import io.ucache.testkit.RedisServerExtension;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The annotation features contract through the Spring advisor on caffeine, ehcache and redis. */
class AdvisorFeaturesTest {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** Static: JUnit starts (and stops) only extensions on static fields around a class. */
  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.create();

  @Nested
  class Caffeine extends AdvisorFeaturesContract {
    @Override
    protected CacheConfig.Builder baseConfig() {
      return CacheConfig.builder().engine("caffeine");
    }
  }

  @Nested
  class Ehcache extends AdvisorFeaturesContract {
    @TempDir Path baseDir;

    @Override
    protected CacheConfig.Builder baseConfig() {
      return CacheConfig.builder().engine("ehcache").set(EhcacheSettings.BASE_DIR, baseDir)
          .set(EhcacheSettings.FOLDER, "advisor-" + SEQUENCE.incrementAndGet());
    }
  }

  @Nested
  class Redis extends AdvisorFeaturesContract {
    @Override
    protected CacheConfig.Builder baseConfig() {
      return CacheConfig.builder().engine("redis").set("redis.url", REDIS.url())
          .set("namespace", "advisor-" + SEQUENCE.incrementAndGet());
    }
  }
}
