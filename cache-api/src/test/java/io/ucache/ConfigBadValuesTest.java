package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * A bad value for every key of the configuration table, through every text source: the builder's
 * {@code set}, a map, system properties and environment variables, each refused with a
 * {@link CacheConfigException} naming the key as the user wrote it, and never echoing a secret.
 * The engine keys are the test engine's ({@link TestEngineKeys}, the same names and rules as the
 * ehcache and redis engines'), checked as set by a builder that declares them.
 * The table below must cover every key: adding a key without a bad value fails
 * {@link #badValues_coverEveryKey}.
 */
class ConfigBadValuesTest {

  private static final String SECRET = "hunter2-do-not-print";

  /** One or more bad values per key. */
  private static final Map<String, List<String>> BAD_VALUES = Map.ofEntries(
      Map.entry("engine", List.of("Not An Engine!", "", "1st")),
      Map.entry("require", List.of("telepathy", "persistent,teleport")),
      Map.entry("max-size", List.of("-1", "lots", "1.5", "99999999999999999999")),
      Map.entry("ttl", List.of("soon", "0s", "-5m", "PT-1S", "10 parsecs", "")),
      Map.entry("expire-after-access", List.of("later", "0ms", "P")),
      Map.entry("ttl-jitter", List.of("some", "-0.1", "0.95", "150%", "NaN")),
      Map.entry("null-ttl", List.of("soon", "0s", "-1m")),
      Map.entry("refresh-after", List.of("later", "0s", "-5m")),
      Map.entry("stale-while-revalidate", List.of("a while", "0ms", "-1s")),
      Map.entry("stale-if-error", List.of("1 hour", "0", "-1h")),
      Map.entry("single-flight.scope", List.of("everywhere", "1", "true")),
      Map.entry("single-flight.lease-time", List.of("long", "0s", "-10s")),
      Map.entry("null-values", List.of("maybe", "yes", "1")),
      Map.entry("folder", List.of("", "   ")),
      Map.entry("base-dir", List.of("", "  ", "a\u0000b")),
      Map.entry("disk-size", List.of("0", "-5MB", "lots", "5 PB", "99999999999TB")),
      Map.entry("redis.url", List.of("http://localhost:6379", "localhost:6379",
          "redis://user:" + SECRET + "@ host:1", "")),
      Map.entry("redis.username", List.of("", "   ")),
      Map.entry("redis.password", List.of("")),
      Map.entry("redis.cluster", List.of("perhaps")),
      Map.entry("namespace", List.of("has space", "a:b", "", "*")),
      Map.entry("timeout", List.of("0s", "-1s", "forever")),
      Map.entry("load-timeout", List.of("0s", "-2s", "soon")),
      Map.entry("codec", List.of("xml", "")),
      Map.entry("codec-version", List.of("-1", "two", "1000001", "1.5")),
      Map.entry("fail-mode", List.of("ajar", "")),
      Map.entry("stats", List.of("on")),
      Map.entry("stats-log-interval", List.of("0s", "-1m", "hourly")),
      Map.entry("jmx.enabled", List.of("yes please")),
      Map.entry("tracing.keys", List.of("some")),
      Map.entry("near.enabled", List.of("sometimes")),
      Map.entry("near.max-size", List.of("0", "-1", "many")),
      Map.entry("near.max-staleness", List.of("0s", "-1s", "a while")),
      Map.entry("circuit-breaker.failures", List.of("-1", "many", "1000001", "2.5")),
      Map.entry("circuit-breaker.cool-down", List.of("0s", "never", "-5s")),
      Map.entry("max-key-bytes", List.of("0", "-1KB", "big")),
      Map.entry("max-value-bytes", List.of("0", "-16MB", "9999999999999TB")));

  @Test
  void badValues_coverEveryKey() {
    java.util.List<String> keys = new java.util.ArrayList<>(GenericKeys.ALL.keySet());
    TestEngineKeys.ALL.forEach(key -> keys.add(key.name()));
    assertThat(BAD_VALUES.keySet()).containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  void set_badValueForEveryKey_throwsCacheConfigExceptionNamingTheKey() {
    BAD_VALUES.forEach((key, values) -> {
      for (String value : values) {
        CacheConfigException e = catchThrowableOfType(CacheConfigException.class,
            () -> TestEngineKeys.builder().set(key, value));
        assertThat(e).as("%s=%s", key, value).isNotNull();
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).contains("'" + key + "'").doesNotContain(SECRET);
      }
    });
  }

  @Test
  void perCacheOverride_badValueForEveryPerCacheKey_throwsNamingTheWholeKey() {
    GenericKeys.ALL.values().stream().filter(k -> k.perCache).forEach(key -> {
      String whole = "caches.reports." + key.name;
      CacheConfigException e = catchThrowableOfType(CacheConfigException.class,
          () -> TestEngineKeys.builder().set(whole, BAD_VALUES.get(key.name).get(0)));
      assertThat(e).as(whole).isNotNull();
      assertThat(e.key()).isEqualTo(whole);
      assertThat(e.getMessage()).contains(whole);
    });
  }

  @Test
  void fromMap_badValueForEveryKey_throwsNamingTheKey() {
    BAD_VALUES.forEach((key, values) -> {
      CacheConfigException e = catchThrowableOfType(CacheConfigException.class,
          () -> TestEngineKeys.from(Map.of(key, values.get(0))));
      assertThat(e).as(key).isNotNull();
      assertThat(e.key()).isEqualTo(key);
    });
  }

  @Test
  void systemPropertiesAndEnvironment_badValueForEveryKey_throwNamingTheVariable() {
    BAD_VALUES.forEach((key, values) -> {
      Properties properties = new Properties();
      properties.setProperty("ucache." + key, values.get(0));
      CacheConfigException fromProperty = catchThrowableOfType(CacheConfigException.class,
          () -> TestEngineKeys.builder().applySystemProperties(properties));
      assertThat(fromProperty).as("ucache.%s", key).isNotNull();
      assertThat(fromProperty.key()).isEqualTo("ucache." + key);

      String variable = "UCACHE_" + ConfigKey.environmentForm(key);
      CacheConfigException fromEnvironment = catchThrowableOfType(CacheConfigException.class,
          () -> TestEngineKeys.builder().applyEnvironment(Map.of(variable, values.get(0))));
      assertThat(fromEnvironment).as(variable).isNotNull();
      assertThat(fromEnvironment.key()).isEqualTo(variable);
    });
  }

  @Test
  void secrets_badOrGoodValues_neverInMessagesOrToString() {
    CacheConfig config = TestEngineKeys.builder()
        .set(TestEngineKeys.REDIS_URL, "redis://user:" + SECRET + "@localhost:6379")
        .set(TestEngineKeys.REDIS_PASSWORD, SECRET)
        .build();
    assertThat(config.toString()).doesNotContain(SECRET);
    assertThat(config.describe().toString()).doesNotContain(SECRET);
    assertThat(config.toBuilder().build().toString()).doesNotContain(SECRET);
    for (String badUrl : List.of("redis://user:" + SECRET + "@", "http://:" + SECRET + "@h:1",
        "redis://:" + SECRET + "@h:1,http://x")) {
      CacheConfigException e = catchThrowableOfType(CacheConfigException.class,
          () -> TestEngineKeys.builder().set("redis.url", badUrl));
      if (e != null) {
        assertThat(e.getMessage()).as(badUrl).doesNotContain(SECRET);
        assertThat(e.toString()).doesNotContain(SECRET);
      }
    }
  }
}
