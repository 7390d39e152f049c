package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With a Redis password set (as {@code redis.password} or inside {@code redis.url}), the
 * password never appears in anything UCache prints: log records of every logger (UCache's and
 * Lettuce's, at the levels they log at by default), exception messages and stack traces (causes
 * included), nor the {@code toString} of configurations, engines and caches, whether the password
 * is right, wrong, or the server goes away.
 */
class RedisSecretsTest {

  private static final String SECRET = "Zebra-Tango-4471";
  private static final String WRONG = "Wrong-Horse-9913";

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.withPassword(SECRET);

  private final List<String> printed = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      printed.add(record.getLoggerName() + " " + record.getLevel() + " " + record.getMessage()
          + " " + java.util.Arrays.toString(record.getParameters())
          + (record.getThrown() == null ? "" : " " + stackTrace(record.getThrown())));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final Logger ucacheLogger = Logger.getLogger("io.ucache");
  private Level ucacheLevel;

  @BeforeEach
  void capture() {
    capture.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(capture);
    ucacheLevel = ucacheLogger.getLevel();
    ucacheLogger.setLevel(Level.ALL);
  }

  @AfterEach
  void stopCapturing() {
    Logger.getLogger("").removeHandler(capture);
    ucacheLogger.setLevel(ucacheLevel);
  }

  @Test
  void rightPassword_keyOrUrl_neverPrinted() {
    for (CacheConfig config : List.of(
        base().set("redis.url", redis.url()).set("redis.password", SECRET).build(),
        base().set("redis.url", "redis://" + SECRET + "@127.0.0.1:" + redis.port()).build(),
        base().set("redis.url", "redis://default:" + SECRET + "@127.0.0.1:" + redis.port())
            .build())) {
      printed.add(config.toString());
      printed.add(config.describe().toString());
      try (CacheEngine engine = EngineManager.getDefault().create(config)) {
        Cache<String, String> cache = engine.cache("secrets", String.class, String.class);
        cache.put("k", "v");
        assertThat(cache.get("k")).isEqualTo("v");
        printed.add(engine.toString());
        printed.add(cache.toString());
        printed.add(cache.stats().toString());
      }
    }
    assertNothingPrintedHolds(SECRET);
  }

  @Test
  void wrongPassword_keyOrUrl_failureNeverHoldsIt() {
    for (String failMode : List.of("open", "closed")) {
      for (CacheConfig config : List.of(
          base().set("fail-mode", failMode).set("redis.url", redis.url())
              .set("redis.password", WRONG).build(),
          base().set("fail-mode", failMode)
              .set("redis.url", "redis://:" + WRONG + "@127.0.0.1:" + redis.port()).build())) {
        Throwable failure = catchThrowable(() -> EngineManager.getDefault().create(config).close());
        assertThat(failure).as("fail-mode=%s", failMode).isNotNull();
        printed.add(failure.toString());
        printed.add(stackTrace(failure));
      }
    }
    assertNothingPrintedHolds(WRONG);
  }

  @Test
  void serverGone_failOpenWithPasswordInUrl_missesAndLogsNeverHoldIt() {
    CacheConfig config = base().set("fail-mode", "open").set("timeout", "300ms")
        .set("redis.url", "redis://:" + SECRET + "@127.0.0.1:" + redis.port()).build();
    try (CacheEngine engine = EngineManager.getDefault().create(config)) {
      Cache<String, String> cache = engine.cache("outage", String.class, String.class);
      cache.put("k", "v");
      redis.stop();
      try {
        for (int i = 0; i < 5; i++) {
          assertThat(cache.get("k")).isNull();
          cache.put("k", "v" + i);
        }
        printed.add(engine.toString());
        printed.add(cache.stats().toString());
        assertThat(cache.stats().errorCount()).isPositive();
      } finally {
        redis.start();
      }
    }
    Throwable refused = catchThrowable(() -> EngineManager.getDefault().create(
        base().set("fail-mode", "closed").set("timeout", "300ms")
            .set("redis.url", "redis://:" + SECRET + "@127.0.0.1:1").build()));
    assertThat(refused).isNotNull();
    printed.add(stackTrace(refused));
    assertNothingPrintedHolds(SECRET);
  }

  private static CacheConfig.Builder base() {
    return CacheConfig.builder().engine("redis").set("namespace", "secrets");
  }

  private void assertNothingPrintedHolds(String secret) {
    assertThat(printed).as("what was printed").isNotEmpty();
    assertThat(printed).allSatisfy(text -> assertThat(text).doesNotContain(secret));
  }

  private static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
