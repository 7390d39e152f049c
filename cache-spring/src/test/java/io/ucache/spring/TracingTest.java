package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.Spans;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * In a Spring application, UCache reports to the application's {@link ObservationRegistry} with
 * nothing to configure: a {@code @UCache} miss on a Spring bean over Redis is a call span with the
 * method's run as its child, under the application's span; {@code ucache.tracing.keys} adds keys.
 * Micrometer's meter handler makes a timer of each observation.
 */
class TracingTest {

  @RegisterExtension
  static final RedisServerExtension REDIS = RedisServerExtension.create();

  /** Accounts by id, counting the reads. */
  static class Accounts {
    final AtomicInteger reads = new AtomicInteger();

    @UCache(name = "accounts")
    public String account(Long id) {
      reads.incrementAndGet();
      return "account-" + id;
    }

    public int reads() {
      return reads.get();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Application {
    @Bean(destroyMethod = "close")
    Spans spans() {
      return new Spans();
    }

    @Bean
    ObservationRegistry observationRegistry(Spans spans) {
      return spans.registry();
    }

    @Bean
    Accounts accounts() {
      return new Accounts();
    }
  }

  private ApplicationContextRunner runner(String namespace) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
            UCacheAutoConfiguration.class))
        .withUserConfiguration(Application.class)
        .withPropertyValues("ucache.engine=redis", "ucache.redis.url=" + REDIS.url(),
            "ucache.namespace=" + namespace);
  }

  @Test
  void ucacheMissOnASpringBean_callSpanWithTheLoadAsItsChild() {
    runner("tracing-1").run(context -> {
      Accounts accounts = context.getBean(Accounts.class);
      Spans spans = context.getBean(Spans.class);
      ObservationRegistry registry = context.getBean(ObservationRegistry.class);

      Observation.createNotStarted("request", registry).observe(() -> accounts.account(7L));

      SpanData request = spans.named("request");
      SpanData call = spans.named("get accounts");
      SpanData load = spans.named("load accounts");
      assertThat(call.getParentSpanId()).isEqualTo(request.getSpanId());
      assertThat(load.getParentSpanId()).isEqualTo(call.getSpanId());
      assertThat(Spans.attribute(call, "ucache.engine")).isEqualTo("redis");
      assertThat(Spans.attribute(call, "ucache.result")).isEqualTo("miss");
      assertThat(Spans.attribute(load, "ucache.result")).isEqualTo("success");
      assertThat(Spans.attribute(call, "ucache.key")).isNull();
      spans.reset();

      accounts.account(7L);
      assertThat(spans.names()).containsExactly("get accounts");
      assertThat(Spans.attribute(spans.named("get accounts"), "ucache.result")).isEqualTo("hit");
      assertThat(accounts.reads()).isEqualTo(1);
    });
  }

  @Test
  void tracingKeys_theKeysCanonicalText() {
    runner("tracing-2").withPropertyValues("ucache.caches.accounts.tracing.keys=true")
        .run(context -> {
          context.getBean(Accounts.class).account(42L);

          SpanData call = context.getBean(Spans.class).named("get accounts");
          assertThat(Spans.attribute(call, "ucache.key")).isEqualTo("42");
        });
  }

  @Test
  void meterHandler_eachObservationIsATimerTaggedWithItsLowCardinalityAttributes() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis").set("redis.url", REDIS.url()).set("namespace", "tracing-3")
        .observationRegistry(registry).build())) {
      Cache<String, String> cache = engine.cache("prices", String.class, String.class);
      cache.get("ACME", symbol -> "1.00");
      cache.get("ACME", symbol -> "never");

      assertThat(meters.get("ucache.cache.operation").tag("ucache.cache", "prices")
          .tag("ucache.engine", "redis").tag("ucache.operation", "get")
          .tag("ucache.result", "miss").timer().count()).isEqualTo(1);
      assertThat(meters.get("ucache.cache.operation").tag("ucache.result", "hit").timer().count())
          .isEqualTo(1);
      assertThat(meters.get("ucache.cache.load").tag("ucache.result", "success").timer().count())
          .isEqualTo(1);
      assertThat(meters.get("ucache.cache.operation.active").longTaskTimer().activeTasks())
          .isZero();
    }
  }
}
