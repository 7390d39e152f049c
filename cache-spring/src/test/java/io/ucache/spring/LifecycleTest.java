package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.testkit.RedisServerExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Closing the context closes every engine it started, and their threads end. */
class LifecycleTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.create();

  @TempDir Path baseDir;

  static class DiskService {
    @UCache(name = "disk", engine = "ehcache")
    public String onDisk(String key) {
      return key + "!";
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Services {
    @Bean
    DiskService diskService() {
      return new DiskService();
    }
  }

  @Test
  void closingTheContext_closesTheEngines_andLeavesNoThreads() {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    AtomicReference<CacheEngine> engine = new AtomicReference<>();
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
            UCacheAutoConfiguration.class))
        .withUserConfiguration(Services.class)
        .withPropertyValues("ucache.engine=redis", "ucache.redis.url=" + REDIS.url(),
            "ucache.base-dir=" + baseDir, "ucache.folder=lifecycle")
        .run(context -> {
          engine.set(context.getBean(CacheEngine.class));
          context.getBean(CacheManager.class).getCache("remote").put("k", "v");
          assertThat(context.getBean(DiskService.class).onDisk("a")).isEqualTo("a!");
          assertThat(engineThreads(before)).isNotEmpty(); // Lettuce's, at least
        });
    assertThat(engine.get().isClosed()).isTrue();
    assertThatThrownBy(() -> engine.get().cache("remote", String.class, String.class))
        .isInstanceOf(IllegalStateException.class);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    List<String> left = engineThreads(before);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // poll
      left = engineThreads(before);
    }
    assertThat(left).as("threads left by the engines").isEmpty();
  }

  /** Live threads that were not there before and belong to an engine or its driver. */
  private static List<String> engineThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .map(Thread::getName)
        .filter(name -> {
          String lower = name.toLowerCase(Locale.ROOT);
          return lower.contains("lettuce") || lower.contains("ehcache")
              || lower.contains("ucache") || lower.contains("nioeventloop")
              || lower.contains("redis");
        })
        .sorted()
        .collect(Collectors.toList());
  }
}
