package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CacheConfigTest {

  /** The generic keys and the test engine's. */
  private static List<String> everyKeyName() {
    List<String> names = new java.util.ArrayList<>(GenericKeys.ALL.keySet());
    TestEngineKeys.ALL.forEach(key -> names.add(key.name()));
    return names;
  }

  private static final String HOME = System.getProperty("user.home");

  /** Asserts that {@code action} throws a config exception naming {@code key}; returns it. */
  private static CacheConfigException configFailure(String key, Runnable action) {
    CacheConfigException e = catchThrowableOfType(CacheConfigException.class, action::run);
    assertThat(e).as("expected a CacheConfigException for key %s", key).isNotNull();
    assertThat(e.key()).isEqualTo(key);
    assertThat(e.getMessage()).contains("'" + key + "'");
    return e;
  }

  /** A full map of text values, one per key of the key table. */
  private static Map<String, String> everyKey() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put("engine", "Redis");
    map.put("require", "shared, per-entry-ttl");
    map.put("max-size", "10_000");
    map.put("ttl", "10m");
    map.put("expire-after-access", "PT30S");
    map.put("ttl-jitter", "10%");
    map.put("null-ttl", "1m");
    map.put("refresh-after", "5m");
    map.put("stale-while-revalidate", "30s");
    map.put("stale-if-error", "1h");
    map.put("single-flight.scope", "Cluster");
    map.put("single-flight.lease-time", "30s");
    map.put("null-values", "true");
    map.put("folder", "reports");
    map.put("base-dir", "/var/cache/app");
    map.put("disk-size", "512MB");
    map.put("redis.url", "redis://cache.example:6380/2");
    map.put("redis.username", "alice");
    map.put("redis.password", "s3cret");
    map.put("redis.cluster", "TRUE");
    map.put("namespace", "my-app.v1_x");
    map.put("timeout", "250ms");
    map.put("load-timeout", "3s");
    map.put("codec", "JAVA");
    map.put("codec-version", "2");
    map.put("fail-mode", "open");
    map.put("stats", "false");
    map.put("stats-log-interval", "1m");
    map.put("jmx.enabled", "true");
    map.put("tracing.keys", "true");
    map.put("near.enabled", "true");
    map.put("near.max-size", "500");
    map.put("near.max-staleness", "5s");
    map.put("circuit-breaker.failures", "3");
    map.put("circuit-breaker.cool-down", "750ms");
    map.put("max-key-bytes", "1KB");
    map.put("max-value-bytes", "2MB");
    return map;
  }

  // --- defaults -----------------------------------------------------------------------------

  @Nested
  class Defaults {

    @Test
    void defaults_nothingSet_documentedValues() {
      CacheConfig config = CacheConfig.defaults();

      assertThat(config.engine()).isEmpty();
      assertThat(config.require()).isEmpty();
      assertThat(config.maxSize()).isEmpty();
      assertThat(config.ttl()).isEmpty();
      assertThat(config.expireAfterAccess()).isEmpty();
      assertThat(config.nullValues()).isFalse();
      assertThat(config.refreshAfter()).isEmpty();
      assertThat(config.staleWhileRevalidate()).isEmpty();
      assertThat(config.staleIfError()).isEmpty();
      assertThat(config.singleFlight()).isEqualTo(SingleFlightScope.PROCESS);
      assertThat(config.singleFlightLeaseTime()).isEqualTo(Duration.ofSeconds(10));
      assertThat(config.executor()).isSameAs(java.util.concurrent.ForkJoinPool.commonPool());
      assertThat(config.get(TestEngineKeys.FOLDER)).isEmpty();
      assertThat(config.get(TestEngineKeys.BASE_DIR).orElseThrow()).isEqualTo(Path.of(HOME, ".cache", "ucache"));
      assertThat(config.get(TestEngineKeys.DISK_SIZE)).isEmpty();
      assertThat(config.get(TestEngineKeys.REDIS_URL)).isEmpty();
      assertThat(config.get(TestEngineKeys.REDIS_PASSWORD)).isEmpty();
      assertThat(config.get(TestEngineKeys.REDIS_CLUSTER).orElseThrow()).isFalse();
      assertThat(config.namespace()).isEqualTo("ucache");
      assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(1));
      assertThat(config.codec()).isEqualTo("auto");
      assertThat(config.failMode()).isEqualTo(FailMode.CLOSED);
      assertThat(config.stats()).isTrue();
      assertThat(config.overriddenCaches()).isEmpty();
      assertThat(config.describe()).isEmpty();
      assertThat(config.toString()).isEqualTo("CacheConfig{}");
    }

    @Test
    void defaults_nothingSet_isSetFalseForEveryKey() {
      for (String key : GenericKeys.ALL.keySet()) {
        assertThat(CacheConfig.defaults().isSet(key)).as(key).isFalse();
      }
    }

    @Test
    void defaults_equalToEmptyBuilder() {
      assertThat(TestEngineKeys.builder().build()).isEqualTo(CacheConfig.defaults());
      assertThat(TestEngineKeys.from(Map.of())).isEqualTo(CacheConfig.defaults());
    }

    @Test
    void ticker_notSet_isSystemTicker() {
      long before = System.nanoTime();
      long read = CacheConfig.defaults().ticker().read();
      assertThat(read).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(System.nanoTime());
    }
  }

  // --- builder ------------------------------------------------------------------------------

  @Nested
  class BuilderBehaviour {

    @Test
    void builder_everySetter_readBack() {
      Ticker ticker = () -> 42L;
      CacheConfig config = TestEngineKeys.builder()
          .engine("Ehcache")
          .require(Capability.PERSISTENT, Capability.BULK)
          .maxSize(1_000)
          .ttl(Duration.ofMinutes(10))
          .expireAfterAccess(Duration.ofSeconds(30))
          .ttlJitter(0.25)
          .nullTtl(Duration.ofMinutes(1))
          .refreshAfter(Duration.ofMinutes(5))
          .staleWhileRevalidate(Duration.ofSeconds(30))
          .staleIfError(Duration.ofHours(1))
          .singleFlight(SingleFlightScope.CLUSTER)
          .singleFlightLeaseTime(Duration.ofSeconds(30))
          .nullValues(true)
          .set(TestEngineKeys.FOLDER, "reports")
          .set(TestEngineKeys.BASE_DIR, Path.of("/tmp/ucache-test"))
          .set(TestEngineKeys.DISK_SIZE, 1L << 20)
          .set(TestEngineKeys.REDIS_URL, " redis://localhost:6379/0 ")
          .set(TestEngineKeys.REDIS_USERNAME, "alice")
          .set(TestEngineKeys.REDIS_PASSWORD, "s3cret")
          .set(TestEngineKeys.REDIS_CLUSTER, true)
          .namespace("app")
          .timeout(Duration.ofMillis(250))
          .loadTimeout(Duration.ofSeconds(3))
          .codec("JSON")
          .codecVersion(7)
          .failMode(FailMode.OPEN)
          .stats(false)
          .statsLogInterval(Duration.ofMinutes(1))
          .jmxEnabled(true)
          .tracingKeys(true)
          .nearEnabled(true)
          .nearMaxSize(50)
          .nearMaxStaleness(Duration.ofSeconds(3))
          .circuitBreakerFailures(2)
          .circuitBreakerCoolDown(Duration.ofSeconds(9))
          .maxKeyBytes(512)
          .maxValueBytes(4096)
          .ticker(ticker)
          .build();

      assertThat(config.engine()).contains("ehcache");
      assertThat(config.require()).containsExactly(Capability.PERSISTENT, Capability.BULK);
      assertThat(config.maxSize()).hasValue(1_000);
      assertThat(config.ttl()).contains(Duration.ofMinutes(10));
      assertThat(config.expireAfterAccess()).contains(Duration.ofSeconds(30));
      assertThat(config.ttlJitter()).isEqualTo(0.25);
      assertThat(config.nullTtl()).contains(Duration.ofMinutes(1));
      assertThat(config.refreshAfter()).contains(Duration.ofMinutes(5));
      assertThat(config.staleWhileRevalidate()).contains(Duration.ofSeconds(30));
      assertThat(config.staleIfError()).contains(Duration.ofHours(1));
      assertThat(config.singleFlight()).isEqualTo(SingleFlightScope.CLUSTER);
      assertThat(config.singleFlightLeaseTime()).isEqualTo(Duration.ofSeconds(30));
      assertThat(config.nullValues()).isTrue();
      assertThat(config.get(TestEngineKeys.FOLDER)).contains("reports");
      assertThat(config.get(TestEngineKeys.BASE_DIR).orElseThrow()).isEqualTo(Path.of("/tmp/ucache-test"));
      assertThat(config.get(TestEngineKeys.DISK_SIZE)).contains(1L << 20);
      assertThat(config.get(TestEngineKeys.REDIS_URL)).contains("redis://localhost:6379/0");
      assertThat(config.get(TestEngineKeys.REDIS_USERNAME)).contains("alice");
      assertThat(config.get(TestEngineKeys.REDIS_PASSWORD)).contains("s3cret");
      assertThat(config.get(TestEngineKeys.REDIS_CLUSTER).orElseThrow()).isTrue();
      assertThat(config.namespace()).isEqualTo("app");
      assertThat(config.timeout()).isEqualTo(Duration.ofMillis(250));
      assertThat(config.loadTimeout()).contains(Duration.ofSeconds(3));
      assertThat(config.statsLogInterval()).contains(Duration.ofMinutes(1));
      assertThat(config.jmxEnabled()).isTrue();
      assertThat(config.tracingKeys()).isTrue();
      assertThat(config.codec()).isEqualTo("json");
      assertThat(config.codecVersion()).isEqualTo(7);
      assertThat(config.failMode()).isEqualTo(FailMode.OPEN);
      assertThat(config.stats()).isFalse();
      assertThat(config.nearEnabled()).isTrue();
      assertThat(config.nearMaxSize()).isEqualTo(50);
      assertThat(config.nearMaxStaleness()).isEqualTo(Duration.ofSeconds(3));
      assertThat(config.circuitBreakerFailures()).isEqualTo(2);
      assertThat(config.circuitBreakerCoolDown()).isEqualTo(Duration.ofSeconds(9));
      assertThat(config.maxKeyBytes()).isEqualTo(512);
      assertThat(config.maxValueBytes()).isEqualTo(4096);
      assertThat(config.ticker()).isSameAs(ticker);
      for (String key : GenericKeys.ALL.keySet()) {
        assertThat(config.isSet(key)).as(key).isTrue();
      }
    }

    @Test
    void toBuilder_build_equalsOriginal() {
      CacheConfig original = TestEngineKeys.builder()
          .engine("redis").ttl(Duration.ofMinutes(5)).set(TestEngineKeys.REDIS_PASSWORD, "pw")
          .require(Capability.SHARED)
          .cache("users", b -> b.maxSize(10).ttl(Duration.ofSeconds(5)))
          .build();

      CacheConfig copy = original.toBuilder().build();

      assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original).isNotSameAs(original);
      assertThat(copy.describe()).isEqualTo(original.describe());
      assertThat(copy.forCache("users").maxSize()).hasValue(10);
    }

    @Test
    void toBuilder_changed_originalUnchanged() {
      CacheConfig original = TestEngineKeys.builder().ttl(Duration.ofMinutes(5))
          .cache("users", b -> b.maxSize(10)).build();

      CacheConfig changed = original.toBuilder()
          .ttl(Duration.ofMinutes(1))
          .maxSize(3)
          .cache("users", b -> b.maxSize(20))
          .cache("orders", b -> b.stats(false))
          .build();

      assertThat(original.ttl()).contains(Duration.ofMinutes(5));
      assertThat(original.maxSize()).isEmpty();
      assertThat(original.forCache("users").maxSize()).hasValue(10);
      assertThat(original.overriddenCaches()).containsExactly("users");
      assertThat(changed.ttl()).contains(Duration.ofMinutes(1));
      assertThat(changed.forCache("users").maxSize()).hasValue(20);
      assertThat(changed.overriddenCaches()).containsExactly("orders", "users");
    }

    @Test
    void toBuilder_keepsTicker() {
      Ticker ticker = () -> 7L;
      CacheConfig original = TestEngineKeys.builder().ticker(ticker).build();

      assertThat(original.toBuilder().build().ticker()).isSameAs(ticker);
      assertThat(original.forCache("x").ticker()).isSameAs(ticker);
    }

    @Test
    void build_builderChangedAfterwards_earlierConfigUnchanged() {
      CacheConfig.Builder builder = TestEngineKeys.builder().ttl(Duration.ofMinutes(1))
          .cache("users", b -> b.maxSize(5));
      CacheConfig first = builder.build();

      builder.ttl(Duration.ofMinutes(2)).engine("redis").set("caches.users.max-size", "6")
          .set("caches.orders.ttl", "1s");
      CacheConfig second = builder.build();

      assertThat(first.ttl()).contains(Duration.ofMinutes(1));
      assertThat(first.engine()).isEmpty();
      assertThat(first.forCache("users").maxSize()).hasValue(5);
      assertThat(first.overriddenCaches()).containsExactly("users");
      assertThat(second.ttl()).contains(Duration.ofMinutes(2));
      assertThat(second.forCache("users").maxSize()).hasValue(6);
    }

    @Test
    void build_calledTwice_equalConfigs() {
      CacheConfig.Builder builder = TestEngineKeys.builder().maxSize(3).set("caches.a.ttl", "1s");

      assertThat(builder.build()).isEqualTo(builder.build());
    }

    @Test
    void set_sameKeyTwice_laterWins() {
      CacheConfig config = TestEngineKeys.builder().ttl(Duration.ofMinutes(1)).set("ttl", "2m")
          .build();

      assertThat(config.ttl()).contains(Duration.ofMinutes(2));
    }

    @Test
    void require_calledTwice_replacesEarlierRequirement() {
      CacheConfig config = TestEngineKeys.builder().require(Capability.SHARED)
          .require(Capability.PERSISTENT).build();

      assertThat(config.require()).containsExactly(Capability.PERSISTENT);
    }

    @Test
    void typedSetters_invalidValues_throwNamingKeyAndValue() {
      CacheConfig.Builder builder = TestEngineKeys.builder();

      assertThat(configFailure("max-size", () -> builder.maxSize(-1)).getMessage())
          .contains("'-1'");
      assertThat(configFailure("ttl", () -> builder.ttl(Duration.ZERO)).getMessage())
          .contains("'PT0S'");
      assertThat(configFailure("ttl", () -> builder.ttl(Duration.ofSeconds(-5))).getMessage())
          .contains("'PT-5S'");
      configFailure("expire-after-access", () -> builder.expireAfterAccess(Duration.ZERO));
      configFailure("timeout", () -> builder.timeout(Duration.ofMillis(-1)));
      configFailure("disk-size", () -> builder.set(TestEngineKeys.DISK_SIZE, 0L));
      configFailure("folder", () -> builder.set(TestEngineKeys.FOLDER, " "));
      configFailure("namespace", () -> builder.namespace("has space"));
      assertThat(configFailure("engine", () -> builder.engine("9lives")).getMessage())
          .contains("'9lives'");
      assertThat(configFailure("codec", () -> builder.codec("xml")).getMessage())
          .contains("'xml'").contains("auto, bytes, java, json, string");
      assertThat(configFailure("redis.url", () -> builder.set(TestEngineKeys.REDIS_URL, "localhost:6379"))
          .getMessage()).contains("not shown").doesNotContain("localhost:6379");
      configFailure("circuit-breaker.failures", () -> builder.circuitBreakerFailures(-1));
      configFailure("circuit-breaker.cool-down", () -> builder.circuitBreakerCoolDown(
          Duration.ZERO));
      // A failed setter leaves the builder as it was.
      assertThat(builder.build()).isEqualTo(CacheConfig.defaults());
    }

    @Test
    void typedSetters_nulls_throwNullPointerException() {
      CacheConfig.Builder builder = TestEngineKeys.builder();

      assertThatThrownBy(() -> builder.ttl(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> builder.ticker(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> builder.require(Capability.SHARED, null))
          .isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> builder.set("ttl", null)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("ttl");
      assertThatThrownBy(() -> builder.set((String) null, "1s")).isInstanceOf(NullPointerException.class);
    }
  }

  // --- from(Map) and set() ------------------------------------------------------------------

  @Nested
  class FromMap {

    @Test
    void from_everyKeyInTheKeyTable_parsed() {
      Map<String, String> map = everyKey();
      assertThat(map.keySet()).as("the test covers every key")
          .containsExactlyInAnyOrderElementsOf(everyKeyName());

      CacheConfig config = TestEngineKeys.from(map);

      assertThat(config.engine()).contains("redis");
      assertThat(config.require()).containsExactlyInAnyOrder(Capability.SHARED,
          Capability.PER_ENTRY_TTL);
      assertThat(config.maxSize()).hasValue(10_000);
      assertThat(config.ttl()).contains(Duration.ofMinutes(10));
      assertThat(config.expireAfterAccess()).contains(Duration.ofSeconds(30));
      assertThat(config.nullValues()).isTrue();
      assertThat(config.get(TestEngineKeys.FOLDER)).contains("reports");
      assertThat(config.get(TestEngineKeys.BASE_DIR).orElseThrow()).isEqualTo(Path.of("/var/cache/app"));
      assertThat(config.get(TestEngineKeys.DISK_SIZE)).contains(512L * 1024 * 1024);
      assertThat(config.get(TestEngineKeys.REDIS_URL)).contains("redis://cache.example:6380/2");
      assertThat(config.get(TestEngineKeys.REDIS_USERNAME)).contains("alice");
      assertThat(config.get(TestEngineKeys.REDIS_PASSWORD)).contains("s3cret");
      assertThat(config.get(TestEngineKeys.REDIS_CLUSTER).orElseThrow()).isTrue();
      assertThat(config.namespace()).isEqualTo("my-app.v1_x");
      assertThat(config.timeout()).isEqualTo(Duration.ofMillis(250));
      assertThat(config.loadTimeout()).contains(Duration.ofSeconds(3));
      assertThat(config.codec()).isEqualTo("java");
      assertThat(config.codecVersion()).isEqualTo(2);
      assertThat(config.failMode()).isEqualTo(FailMode.OPEN);
      assertThat(config.stats()).isFalse();
      assertThat(config.circuitBreakerFailures()).isEqualTo(3);
      assertThat(config.circuitBreakerCoolDown()).isEqualTo(Duration.ofMillis(750));
      assertThat(config.maxKeyBytes()).isEqualTo(1024);
      assertThat(config.maxValueBytes()).isEqualTo(2L << 20);
    }

    @Test
    void circuitBreakerKeys_notSet_fiveFailuresAndFiveSeconds() {
      assertThat(CacheConfig.defaults().circuitBreakerFailures()).isEqualTo(5);
      assertThat(CacheConfig.defaults().circuitBreakerCoolDown()).isEqualTo(Duration.ofSeconds(5));
      CacheConfig typed = TestEngineKeys.builder().circuitBreakerFailures(0)
          .circuitBreakerCoolDown(Duration.ofSeconds(1)).build();
      assertThat(typed).isEqualTo(TestEngineKeys.builder().set("circuit-breaker.failures", "0")
          .set("circuit-breaker.cool-down", "1s").build());
      assertThat(TestEngineKeys.builder().applyEnvironment(
          Map.of("UCACHE_CIRCUIT_BREAKER_FAILURES", "7")).build().circuitBreakerFailures())
          .isEqualTo(7);
    }

    @Test
    void circuitBreakerKeys_perCache_rejectedNamingFullKey() {
      configFailure("caches.users.circuit-breaker.failures",
          () -> TestEngineKeys.builder().set("caches.users.circuit-breaker.failures", "3"));
    }

    @Test
    void describe_everyKey_inKeyTableOrderAsConfigText() {
      CacheConfig config = TestEngineKeys.from(everyKey());

      Map<String, String> described = config.describe();

      // Generic keys in key-table order, then engines' keys.
      assertThat(described.keySet()).containsExactlyInAnyOrderElementsOf(everyKeyName());
      assertThat(List.copyOf(described.keySet()).subList(0, GenericKeys.ALL.size()))
          .containsExactlyElementsOf(GenericKeys.ALL.keySet());
      assertThat(described)
          .containsEntry("engine", "redis")
          .containsEntry("require", "shared,per-entry-ttl")
          .containsEntry("max-size", "10000")
          .containsEntry("ttl", "PT10M")
          .containsEntry("disk-size", "512MB")
          .containsEntry("redis.password", "****")
          .containsEntry("fail-mode", "open")
          .containsEntry("stats", "false");
    }

    @Test
    void from_describedText_roundTrips() {
      CacheConfig config = TestEngineKeys.builder().engine("redis").ttl(Duration.ofMinutes(3))
          .require(Capability.SHARED, Capability.BULK).failMode(FailMode.OPEN).maxSize(9)
          .cache("users", b -> b.ttl(Duration.ofSeconds(4)).nullValues(true))
          .build();

      assertThat(TestEngineKeys.from(config.describe())).isEqualTo(config);
    }

    @Test
    void from_nonStringValues_convertedWithValueOf() {
      Map<Object, Object> map = new LinkedHashMap<>();
      map.put("max-size", 500);
      map.put("stats", Boolean.FALSE);
      map.put("ttl", Duration.ofMinutes(2));

      CacheConfig config = TestEngineKeys.from(map);

      assertThat(config.maxSize()).hasValue(500);
      assertThat(config.stats()).isFalse();
      assertThat(config.ttl()).contains(Duration.ofMinutes(2));
    }

    @Test
    void from_properties_readAsMap() {
      Properties properties = new Properties();
      properties.setProperty("ttl", "1h");
      properties.setProperty("caches.users.max-size", "7");

      CacheConfig config = TestEngineKeys.from(properties);

      assertThat(config.ttl()).contains(Duration.ofHours(1));
      assertThat(config.forCache("users").maxSize()).hasValue(7);
    }

    @Test
    void set_textEqualsTypedSetter_equalConfigs() {
      CacheConfig fromText = TestEngineKeys.builder().set("max-size", "10").set("ttl", "PT1M")
          .set("base-dir", "/tmp/x").set("require", "bulk").set("fail-mode", "OPEN").build();
      CacheConfig typed = TestEngineKeys.builder().maxSize(10).ttl(Duration.ofMinutes(1))
          .set(TestEngineKeys.BASE_DIR, Path.of("/tmp/x")).require(Capability.BULK).failMode(FailMode.OPEN).build();

      assertThat(fromText).isEqualTo(typed).hasSameHashCodeAs(typed);
    }

    @Test
    void set_baseDirWithTilde_expandsToUserHome() {
      assertThat(TestEngineKeys.builder().set("base-dir", "~/caches").build().get(TestEngineKeys.BASE_DIR).orElseThrow())
          .isEqualTo(Path.of(HOME, "caches"));
      assertThat(TestEngineKeys.builder().set("base-dir", "~").build().get(TestEngineKeys.BASE_DIR).orElseThrow())
          .isEqualTo(Path.of(HOME));
    }

    @Test
    void set_emptyBaseDir_throwsNamingKey() {
      configFailure("base-dir", () -> TestEngineKeys.builder().set("base-dir", " "));
    }

    @ParameterizedTest
    @CsvSource({
        "engine, 'bad name'",
        "engine, ''",
        "folder, ''",
        "namespace, 'a b'",
        "namespace, 'a:b'",
        "codec, protobuf",
        "fail-mode, half-open",
        "fail-mode, ''",
        "max-size, -1",
        "max-size, ten",
        "max-size, 1.5",
        "max-size, 512MB",
        "timeout, 0ms",
        "circuit-breaker.failures, -1",
        "circuit-breaker.failures, many",
        "circuit-breaker.failures, 1000001",
        "circuit-breaker.failures, ''",
        "circuit-breaker.cool-down, 0s",
        "circuit-breaker.cool-down, soon",
    })
    void set_invalidValue_throwsNamingKeyAndValue(String key, String value) {
      CacheConfigException e = configFailure(key,
          () -> TestEngineKeys.builder().set(key, value));

      assertThat(e.getMessage()).contains("Invalid value '" + value + "'").contains("expected");
    }

    @Test
    void set_validEnumLikeValues_caseInsensitive() {
      CacheConfig config = TestEngineKeys.builder().set("fail-mode", " Closed ").set("codec", "Bytes")
          .set("engine", " CAFFEINE ").build();

      assertThat(config.failMode()).isEqualTo(FailMode.CLOSED);
      assertThat(config.codec()).isEqualTo("bytes");
      assertThat(config.engine()).contains("caffeine");
    }

    @Test
    void set_redisUrlVariants_accepted() {
      for (String url : new String[] {"redis://h", "rediss://h:6380", "redis-sentinel://h:26379",
          "REDIS://H", "redis://a:1, redis://b:2"}) {
        assertThat(TestEngineKeys.builder().set("redis.url", url).build().get(TestEngineKeys.REDIS_URL))
            .as(url).contains(url.trim());
      }
    }
  }

  // --- durations ----------------------------------------------------------------------------

  @Nested
  class Durations {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "10m, PT10M",
        "1h, PT1H",
        "2d, PT48H",
        "PT10M, PT10M",
        "P2D, PT48H",
        "pt1m30s, PT1M30S",
        "100us, PT0.0001S",
        "5ns, PT0.000000005S",
        "' 7 s ', PT7S",
        "10M, PT10M",
    })
    void parseDuration_validText_parses(String text, String expected) {
      Duration parsed = CacheConfig.parseDuration(text);

      assertThat(parsed).isEqualTo(Duration.parse(expected));
      assertThat(TestEngineKeys.builder().set("ttl", text).build().ttl()).contains(parsed);
      assertThat(TestEngineKeys.builder().set("caches.users.ttl", text).build().forCache("users")
          .ttl()).contains(parsed);
    }

    @Test
    void parseDuration_shortUnits_exactNanos() {
      assertThat(CacheConfig.parseDuration("100us").toNanos()).isEqualTo(100_000);
      assertThat(CacheConfig.parseDuration("5ns").toNanos()).isEqualTo(5);
      assertThat(CacheConfig.parseDuration("500ms").toMillis()).isEqualTo(500);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10x", "-5s", "", " ", "PT", "P", "s", "1.5s", "5 seconds",
        "99999999999999999999s", "9223372036854775807us", "PTXM"})
    void parseDuration_invalidText_throwsIllegalArgument(String text) {
      assertThatThrownBy(() -> CacheConfig.parseDuration(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10x", "-5s", "0s", "", "PT", "PT0S", "-PT5M", "0ms"})
    void setTtl_invalidDuration_throwsNamingKeyAndValue(String text) {
      CacheConfigException e = configFailure("ttl", () -> TestEngineKeys.builder().set("ttl", text));

      assertThat(e.getMessage())
          .contains("Invalid value '" + text + "' for key 'ttl'")
          .contains("500ms");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10x", "0s", "PT"})
    void setPerCacheTtl_invalidDuration_throwsNamingFullKeyAndValue(String text) {
      CacheConfigException e = configFailure("caches.users.ttl",
          () -> TestEngineKeys.builder().set("caches.users.ttl", text));

      assertThat(e.getMessage()).contains("'" + text + "'");
    }

    @Test
    void setExpireAfterAccessAndTimeout_invalidDuration_throwNamingKey() {
      configFailure("expire-after-access",
          () -> TestEngineKeys.builder().set("expire-after-access", "-1s"));
      configFailure("timeout", () -> TestEngineKeys.builder().set("timeout", "0s"));
    }
  }

  // --- sizes --------------------------------------------------------------------------------

  @Nested
  class Sizes {

    @ParameterizedTest
    @CsvSource({
        "512MB, 536870912",
        "2GB, 2147483648",
        "1024, 1024",
        "1KiB, 1024",
        "1kb, 1024",
        "10_000, 10000",
        "3 MiB, 3145728",
        "1TB, 1099511627776",
        "7B, 7",
    })
    void parseSize_validText_parses(String text, long expected) {
      assertThat(CacheConfig.parseSize(text)).isEqualTo(expected);
      assertThat(TestEngineKeys.builder().set("disk-size", text).build()
          .get(TestEngineKeys.DISK_SIZE)).contains(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MB", "-1", "1.5GB", "12XB", "10 K B", "9999999999TB",
        "99999999999999999999"})
    void parseSize_invalidText_throwsIllegalArgument(String text) {
      assertThatThrownBy(() -> CacheConfig.parseSize(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MB", "-1", "1.5GB", "12XB", "9999999999TB", "0", "0MB"})
    void setDiskSize_invalidSize_throwsNamingKeyAndValue(String text) {
      CacheConfigException e = configFailure("disk-size",
          () -> TestEngineKeys.builder().set("disk-size", text));

      assertThat(e.getMessage()).contains("Invalid value '" + text + "' for key 'disk-size'");
    }

    @Test
    void setMaxSize_underscoresAndZero_accepted() {
      assertThat(TestEngineKeys.builder().set("max-size", "1_000_000").build().maxSize())
          .hasValue(1_000_000);
      assertThat(TestEngineKeys.builder().set("max-size", "0").build().maxSize()).hasValue(0);
    }
  }

  // --- booleans -----------------------------------------------------------------------------

  @Nested
  class Booleans {

    @ParameterizedTest
    @CsvSource({"true, true", "TRUE, true", "' True ', true", "false, false", "False, false"})
    void setBooleanKeys_trueOrFalseAnyCase_parsed(String text, boolean expected) {
      CacheConfig config = TestEngineKeys.builder().set("null-values", text).set("stats", text)
          .set("redis.cluster", text).build();

      assertThat(config.nullValues()).isEqualTo(expected);
      assertThat(config.stats()).isEqualTo(expected);
      assertThat(config.get(TestEngineKeys.REDIS_CLUSTER).orElseThrow()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no", "1", "0", "", "on", "truee"})
    void setBooleanKey_notTrueOrFalse_throwsNamingKeyAndValue(String text) {
      for (String key : new String[] {"null-values", "stats", "redis.cluster"}) {
        assertThat(configFailure(key, () -> TestEngineKeys.builder().set(key, text)).getMessage())
            .contains("'" + text + "'").contains("true or false");
      }
    }
  }

  // --- unknown keys -------------------------------------------------------------------------

  @Nested
  class UnknownKeys {

    @Test
    void set_misspelledKey_namesItAndSuggestsClosest() {
      CacheConfigException e = configFailure("tll",
          () -> TestEngineKeys.builder().set("tll", "10m"));

      assertThat(e.getMessage())
          .contains("Unknown configuration key 'tll'")
          .contains("did you mean 'ttl'?")
          .contains("known keys: engine, require, max-size");
    }

    @ParameterizedTest
    @CsvSource({"maxsize, max-size", "max_size, max-size", "redis.pasword, redis.password",
        "enigne, engine", "STATS, stats", "fail-mod, fail-mode"})
    void set_closeMisspelling_suggestsKey(String wrong, String suggested) {
      assertThat(configFailure(wrong, () -> TestEngineKeys.builder().set(wrong, "x")).getMessage())
          .contains("did you mean '" + suggested + "'?");
    }

    @Test
    void set_unrelatedKey_noSuggestion() {
      CacheConfigException e = configFailure("colour",
          () -> TestEngineKeys.builder().set("colour", "blue"));

      assertThat(e.getMessage()).doesNotContain("did you mean");
    }

    @Test
    void set_unknownPerCacheKey_namesFullKeyAndSuggests() {
      CacheConfigException e = configFailure("caches.users.tll",
          () -> TestEngineKeys.builder().set("caches.users.tll", "1s"));

      assertThat(e.getMessage()).contains("did you mean 'ttl'?");
    }

    @Test
    void from_unknownKey_throwsNamingIt() {
      configFailure("max-sise", () -> TestEngineKeys.from(Map.of("max-sise", "1")));
    }
  }

  // --- per-cache overrides ------------------------------------------------------------------

  @Nested
  class PerCache {

    @Test
    void set_perCacheTtl_overridesEngineWideForThatCacheOnly() {
      CacheConfig config = TestEngineKeys.builder()
          .set("ttl", "10m").set("max-size", "100")
          .set("caches.users.ttl", "30s")
          .build();

      CacheConfig users = config.forCache("users");
      assertThat(users.ttl()).contains(Duration.ofSeconds(30));
      assertThat(users.maxSize()).hasValue(100);
      assertThat(config.ttl()).contains(Duration.ofMinutes(10));
      assertThat(config.forCache("orders").ttl()).contains(Duration.ofMinutes(10));
      assertThat(config.forCache("orders")).isSameAs(config);
      assertThat(config.overriddenCaches()).containsExactly("users");
      assertThat(config.isSet("ttl")).isTrue();
    }

    @Test
    void set_perCacheKeyWithoutEngineWideValue_setOnlyForThatCache() {
      CacheConfig config = TestEngineKeys.builder().set("caches.users.max-size", "5").build();

      assertThat(config.forCache("users").maxSize()).hasValue(5);
      assertThat(config.forCache("users").isSet("max-size")).isTrue();
      assertThat(config.maxSize()).isEmpty();
      assertThat(config.isSet("max-size")).isFalse();
      assertThat(config.forCache("orders").maxSize()).isEmpty();
    }

    @Test
    void set_everyPerCacheKey_applied() {
      CacheConfig users = TestEngineKeys.builder()
          .set("caches.users.max-size", "1")
          .set("caches.users.ttl", "1m")
          .set("caches.users.expire-after-access", "2m")
          .set("caches.users.null-values", "true")
          .set("caches.users.disk-size", "1MB")
          .set("caches.users.codec", "java")
          .set("caches.users.stats", "false")
          .build().forCache("users");

      assertThat(users.maxSize()).hasValue(1);
      assertThat(users.ttl()).contains(Duration.ofMinutes(1));
      assertThat(users.expireAfterAccess()).contains(Duration.ofMinutes(2));
      assertThat(users.nullValues()).isTrue();
      assertThat(users.get(TestEngineKeys.DISK_SIZE)).contains(1L << 20);
      assertThat(users.codec()).isEqualTo("java");
      assertThat(users.stats()).isFalse();
    }

    @Test
    void cache_typedBuilder_overridesThatCacheOnly() {
      CacheConfig config = TestEngineKeys.builder()
          .ttl(Duration.ofMinutes(10)).stats(true)
          .cache("users", b -> b.ttl(Duration.ofSeconds(5)).maxSize(50).stats(false))
          .cache("orders", b -> b.nullValues(true))
          .build();

      CacheConfig users = config.forCache("users");
      assertThat(users.ttl()).contains(Duration.ofSeconds(5));
      assertThat(users.maxSize()).hasValue(50);
      assertThat(users.stats()).isFalse();
      assertThat(users.nullValues()).isFalse();
      CacheConfig orders = config.forCache("orders");
      assertThat(orders.ttl()).contains(Duration.ofMinutes(10));
      assertThat(orders.nullValues()).isTrue();
      assertThat(orders.stats()).isTrue();
      assertThat(config.forCache("other")).isSameAs(config);
      assertThat(config.describe())
          .containsEntry("caches.orders.null-values", "true")
          .containsEntry("caches.users.ttl", "PT5S")
          .containsEntry("caches.users.max-size", "50")
          .containsEntry("caches.users.stats", "false");
    }

    @Test
    void cache_typedAndTextForms_equal() {
      CacheConfig typed = TestEngineKeys.builder().cache("users", b -> b.ttl(Duration.ofSeconds(5)))
          .build();
      CacheConfig text = TestEngineKeys.builder().set("caches.users.ttl", "5s").build();

      assertThat(typed).isEqualTo(text).hasSameHashCodeAs(text);
    }

    @Test
    void cache_calledTwiceForSameCache_mergesLaterWins() {
      CacheConfig users = TestEngineKeys.builder()
          .cache("users", b -> b.ttl(Duration.ofSeconds(5)).maxSize(1))
          .cache("users", b -> b.maxSize(2))
          .build().forCache("users");

      assertThat(users.ttl()).contains(Duration.ofSeconds(5));
      assertThat(users.maxSize()).hasValue(2);
    }

    @Test
    void forCache_overrides_keepOtherKeysAndOverridesOfOtherCaches() {
      CacheConfig config = TestEngineKeys.builder().engine("redis").namespace("app")
          .set("caches.users.ttl", "1s").set("caches.orders.ttl", "2s").build();

      CacheConfig users = config.forCache("users");

      assertThat(users.engine()).contains("redis");
      assertThat(users.namespace()).isEqualTo("app");
      assertThat(users.forCache("orders").ttl()).contains(Duration.ofSeconds(2));
    }

    @Test
    void cache_nonPerCacheKey_rejectedNamingIt() {
      CacheConfigException e = configFailure("caches.users.engine",
          () -> TestEngineKeys.builder().cache("users", b -> b.engine("redis")));

      assertThat(e.getMessage())
          .contains("cannot be set for one cache")
          .contains("max-size, ttl, expire-after-access, ttl-jitter, null-ttl, refresh-after, "
              + "stale-while-revalidate, stale-if-error, null-values, load-timeout, "
              + "single-flight.scope, single-flight.lease-time, codec, codec-version, stats");
    }

    @ParameterizedTest
    @CsvSource({"engine, redis", "require, shared", "namespace, x", "timeout, 1s",
        "fail-mode, open", "folder, f", "base-dir, /tmp", "redis.url, redis://h",
        "redis.cluster, true"})
    void set_nonPerCacheKey_rejectedNamingIt(String key, String value) {
      CacheConfigException e = configFailure("caches.users." + key,
          () -> TestEngineKeys.builder().set("caches.users." + key, value));

      assertThat(e.getMessage()).contains("Key '" + key + "' cannot be set for one cache");
    }

    @ParameterizedTest
    @ValueSource(strings = {"caches..ttl", "caches.ttl", "caches.", "caches. .ttl"})
    void set_perCacheKeyWithoutCacheName_rejectedNamingIt(String key) {
      CacheConfigException e = configFailure(key, () -> TestEngineKeys.builder().set(key, "1s"));

      assertThat(e.getMessage()).contains("expected caches.<cache name>.<key>");
    }

    @Test
    void cache_blankName_rejected() {
      assertThatThrownBy(() -> TestEngineKeys.builder().cache(" ", b -> b.maxSize(1)))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("caches.<cache name>.<key>");
    }

    @Test
    void cache_invalidValueInsideConsumer_throwsNamingKey() {
      configFailure("max-size",
          () -> TestEngineKeys.builder().cache("users", b -> b.maxSize(-3)));
    }
  }

  // --- secrets ------------------------------------------------------------------------------

  @Nested
  class SecretMasking {

    @Test
    void redisPassword_neverInToStringOrDescribe() {
      CacheConfig typed = TestEngineKeys.builder().set(TestEngineKeys.REDIS_PASSWORD, "s3cret").build();
      CacheConfig text = TestEngineKeys.builder().set("redis.password", "s3cret").build();

      for (CacheConfig config : new CacheConfig[] {typed, text}) {
        assertThat(config.toString()).doesNotContain("s3cret")
            .isEqualTo("CacheConfig{redis.password=****}");
        assertThat(config.describe()).containsEntry("redis.password", "****");
        assertThat(config.describe().values()).noneMatch(v -> v.contains("s3cret"));
        assertThat(config.get(TestEngineKeys.REDIS_PASSWORD)).contains("s3cret");
      }
    }

    @Test
    void redisPassword_invalidValue_messageHidesIt() {
      CacheConfigException fromText = configFailure("redis.password",
          () -> TestEngineKeys.builder().set("redis.password", ""));
      CacheConfigException typed = configFailure("redis.password",
          () -> TestEngineKeys.builder().set(TestEngineKeys.REDIS_PASSWORD, ""));

      assertThat(fromText.getMessage()).contains("Invalid value '****'");
      assertThat(typed.getMessage()).contains("Invalid value '****'");
    }

    @Test
    void redisPassword_perCacheOverride_rejectedWithoutShowingValue() {
      CacheConfigException e = configFailure("caches.users.redis.password",
          () -> TestEngineKeys.builder().set("caches.users.redis.password", "s3cret"));

      assertThat(e.getMessage()).doesNotContain("s3cret");
    }

    @Test
    void redisPassword_misspelledKey_messageHidesValue() {
      CacheConfigException e = configFailure("redis.pasword",
          () -> TestEngineKeys.builder().set("redis.pasword", "s3cret"));

      assertThat(e.getMessage()).doesNotContain("s3cret").contains("redis.password");
    }

    @Test
    void redisPassword_fromEnvironmentInvalid_messageHidesIt() {
      CacheConfigException e = configFailure("UCACHE_REDIS_PASSWORD",
          () -> TestEngineKeys.builder().applyEnvironment(Map.of("UCACHE_REDIS_PASSWORD", "")));

      assertThat(e.getMessage()).contains("'****'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://user:s3cret@host:6379/0 | redis://user:****@host:6379/0",
        "redis://s3cret@host | redis://****@host",
        "redis://:s3cret@host:6379 | redis://:****@host:6379",
        "rediss://default:s3cret@host:6380/1 | rediss://default:****@host:6380/1",
        "redis://u:s3cret@h1:6379,redis://u:s3cret@h2:6379 "
            + "| redis://u:****@h1:6379,redis://u:****@h2:6379",
        "redis://s3cret@h1, redis://h2, redis://:s3cret@h3 "
            + "| redis://****@h1, redis://h2, redis://:****@h3",
        "redis://host:6379 | redis://host:6379",
    })
    void redisUrl_withPassword_maskedInToStringAndDescribe(String url, String masked) {
      CacheConfig config = TestEngineKeys.builder().set("redis.url", url).build();

      assertThat(config.toString()).doesNotContain("s3cret")
          .isEqualTo("CacheConfig{redis.url=" + masked + "}");
      assertThat(config.describe()).containsEntry("redis.url", masked);
      assertThat(TestEngineKeys.builder().set(TestEngineKeys.REDIS_URL, url).build().toString()).doesNotContain("s3cret");
      assertThat(config.get(TestEngineKeys.REDIS_URL)).contains(url);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "http://user:s3cret@host:6379 | http://user:****@host:6379",
        "redis://u:s3cret@h1,ftp://u:s3cret@h2 | redis://u:****@h1,ftp://u:****@h2",
        ",redis://s3cret@h1 | ,redis://****@h1",
        "user:s3cret@host:6379 | user:****@host:6379",
        "s3cret@host | ****@host",
        "redis://h1,u:s3cret@h2 | redis://h1,u:****@h2",
    })
    void redisUrl_invalidWithPassword_exceptionMasksPassword(String url, String shown) {
      // A malformed URL is never echoed: masking cannot be sure where its password is.
      CacheConfigException e = configFailure("redis.url",
          () -> TestEngineKeys.builder().set("redis.url", url));

      assertThat(e.getMessage()).contains("not shown").doesNotContain("s3cret")
          .doesNotContain(shown);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:6379", "redis:// a", "redis://a:6379,,redis://b:6379",
        "redis://a:6379,", "redis//u:s3cr3t@h", "redis://a:6379,b:6380"})
    void redisUrl_invalid_throwsWithoutEchoingTheValue(String url) {
      CacheConfigException e = configFailure("redis.url",
          () -> TestEngineKeys.builder().set("redis.url", url));

      assertThat(e.getMessage()).contains("Invalid value (not shown").contains("expected")
          .doesNotContain(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"redis-sentinel://s3cret@h1:26379,h2:26379#mymaster",
        "redis-sentinel://h1:26379,h2:26379,h3:26379#mymaster", "redis://a:6379,redis://b:6379",
        "rediss://user:pa/ss@h:6380/1"})
    void redisUrl_sentinelAndNodeLists_accepted(String url) {
      assertThat(TestEngineKeys.builder().set("redis.url", url).build().get(TestEngineKeys.REDIS_URL)).contains(url);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "redis://default:ab/cd+ef==@localhost:6379/0 | redis://default:****@localhost:6379/0",
        "redis://default:p@ss@localhost | redis://default:****@localhost",
        "redis-sentinel://s3cret@h1:26379,h2:26379#m | redis-sentinel://****@h1:26379,h2:26379#m",
    })
    void redisUrl_passwordWithSlashOrAt_maskedWhole(String url, String masked) {
      CacheConfig config = TestEngineKeys.builder().set("redis.url", url).build();

      assertThat(config.toString()).contains(masked).doesNotContain("ab/cd").doesNotContain("ss@")
          .doesNotContain("s3cret");
      assertThat(CacheConfig.maskSecrets("failed: " + url)).isEqualTo("failed: " + masked);
    }

    @Test
    void set_cacheNameWithDots_overridesThatCache() {
      String name = "com.acme.Users.find(long)";
      CacheConfig config = TestEngineKeys.builder().set("caches." + name + ".ttl", "5m").build();

      assertThat(config.forCache(name).ttl()).contains(Duration.ofMinutes(5));
      assertThat(TestEngineKeys.from(config.describe())).isEqualTo(config);
    }

    @Test
    void redisUrl_invalidThroughTypedSetter_exceptionMasksPassword() {
      CacheConfigException e = configFailure("redis.url",
          () -> TestEngineKeys.builder().set(TestEngineKeys.REDIS_URL, "tcp://user:s3cret@host"));

      assertThat(e.getMessage()).doesNotContain("s3cret").contains("not shown");
    }

    @Test
    void redisUrl_invalidFromEnvironmentAndSystemProperties_exceptionMasksPassword() {
      CacheConfigException env = configFailure("UCACHE_REDIS_URL",
          () -> TestEngineKeys.builder().applyEnvironment(
              Map.of("UCACHE_REDIS_URL", "http://u:s3cret@h")));
      Properties properties = new Properties();
      properties.setProperty("ucache.redis.url", "http://u:s3cret@h");
      CacheConfigException sys = configFailure("ucache.redis.url",
          () -> TestEngineKeys.builder().applySystemProperties(properties));

      assertThat(env.getMessage()).doesNotContain("s3cret");
      assertThat(sys.getMessage()).doesNotContain("s3cret");
    }

    @Test
    void everySecret_together_neverInToString() {
      CacheConfig config = TestEngineKeys.builder()
          .set(TestEngineKeys.REDIS_URL, "redis://admin:url-secret@h:6379")
          .set(TestEngineKeys.REDIS_PASSWORD, "password-secret")
          .build();

      assertThat(config.toString()).doesNotContain("url-secret").doesNotContain("password-secret")
          .contains("redis://admin:****@h:6379").contains("redis.password=****");
    }
  }

  // --- environment and system properties ----------------------------------------------------

  @Nested
  class EnvironmentAndSystemProperties {

    @Test
    void applyEnvironment_ucacheVariables_mappedToKeys() {
      Map<String, String> env = new LinkedHashMap<>();
      env.put("UCACHE_MAX_SIZE", "500");
      env.put("UCACHE_REDIS_URL", "redis://h:6379");
      env.put("UCACHE_EXPIRE_AFTER_ACCESS", "5m");
      env.put("UCACHE_FAIL_MODE", "open");
      env.put("UCACHE_CACHES_USERS_TTL", "30s");
      env.put("UCACHE_CACHES_USERS_MAX_SIZE", "9");
      env.put("PATH", "/usr/bin");
      env.put("HOME", "/root");
      env.put("ucache_ttl", "1s");
      env.put("MY_UCACHE_TTL", "1s");

      CacheConfig config = TestEngineKeys.builder().applyEnvironment(env).build();

      assertThat(config.maxSize()).hasValue(500);
      assertThat(config.get(TestEngineKeys.REDIS_URL)).contains("redis://h:6379");
      assertThat(config.expireAfterAccess()).contains(Duration.ofMinutes(5));
      assertThat(config.failMode()).isEqualTo(FailMode.OPEN);
      assertThat(config.ttl()).as("lower-case and foreign variables are ignored").isEmpty();
      assertThat(config.overriddenCaches()).containsExactly("users");
      assertThat(config.forCache("users").ttl()).contains(Duration.ofSeconds(30));
      assertThat(config.forCache("users").maxSize()).hasValue(9);
      assertThat(config.describe()).containsEntry("caches.users.ttl", "PT30S");
    }

    @Test
    void applyEnvironment_cacheNamesWithDashesDotsOrCapitals_reachedByTheirEnvironmentForm() {
      CacheConfig config = TestEngineKeys.builder().applyEnvironment(Map.of(
          "UCACHE_CACHES_PRIME_COUNTS_TTL", "5m",
          "UCACHE_CACHES_COMPANY_NAMES_MAX_SIZE", "7",
          "UCACHE_CACHES_PRICES_TTL", "1m")).build();

      assertThat(config.forCache("prime-counts").ttl()).contains(Duration.ofMinutes(5));
      assertThat(config.forCache("Prime.Counts").ttl()).contains(Duration.ofMinutes(5));
      assertThat(config.forCache("company-names").maxSize()).hasValue(7);
      assertThat(config.forCache("Prices").ttl()).contains(Duration.ofMinutes(1));
      assertThat(config.forCache("prime-counts-2").ttl()).as("another form").isEmpty();
    }

    @Test
    void environmentForm_appliedAfterTheExactName_winsOverIt() {
      CacheConfig config = TestEngineKeys.builder()
          .set("caches.prime-counts.ttl", "1m")
          .set("caches.prime-counts.max-size", "9")
          .applyEnvironment(Map.of("UCACHE_CACHES_PRIME_COUNTS_TTL", "5m"))
          .build();

      CacheConfig primeCounts = config.forCache("prime-counts");
      assertThat(primeCounts.ttl()).as("the operator's variable").contains(Duration.ofMinutes(5));
      assertThat(primeCounts.maxSize()).as("no variable sets it").hasValue(9);
    }

    @Test
    void exactName_appliedAfterTheEnvironmentForm_winsOverIt() {
      CacheConfig config = TestEngineKeys.builder()
          .applyEnvironment(Map.of("UCACHE_CACHES_PRIME_COUNTS_TTL", "5m",
              "UCACHE_CACHES_PRIME_COUNTS_MAX_SIZE", "3"))
          .set("caches.prime-counts.ttl", "1m")
          .build();

      CacheConfig primeCounts = config.forCache("prime-counts");
      assertThat(primeCounts.ttl()).contains(Duration.ofMinutes(1));
      assertThat(primeCounts.maxSize()).as("only the environment sets it").hasValue(3);
    }

    @Test
    void applyEnvironment_overridesWhatTheCodeBuilt_systemPropertiesWin() {
      String property = "ucache.ttl";
      String before = System.getProperty(property);
      System.setProperty(property, "7s");
      try {
        CacheConfig config = TestEngineKeys.builder()
            .ttl(Duration.ofMinutes(10))
            .maxSize(100)
            .applyEnvironment()
            .build();

        assertThat(config.ttl()).contains(Duration.ofSeconds(7));
        assertThat(config.maxSize()).as("set by the code alone").hasValue(100);
        assertThat(TestEngineKeys.builder().ttl(Duration.ofMinutes(10)).build().ttl())
            .as("without applyEnvironment() the code's value stays")
            .contains(Duration.ofMinutes(10));
      } finally {
        if (before == null) {
          System.clearProperty(property);
        } else {
          System.setProperty(property, before);
        }
      }
    }

    @Test
    void applyEnvironment_everyKey_hasAVariable() {
      Map<String, String> env = new LinkedHashMap<>();
      everyKey().forEach((key, value) ->
          env.put("UCACHE_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), value));

      CacheConfig config = TestEngineKeys.builder().applyEnvironment(env).build();

      assertThat(config).isEqualTo(TestEngineKeys.from(everyKey()));
    }

    @Test
    void applyEnvironment_unknownVariable_skippedWithAWarningNamingIt() {
      java.util.logging.Logger logger = java.util.logging.Logger.getLogger(
          CacheConfig.class.getName());
      List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.logging.Handler handler = new java.util.logging.Handler() {
        @Override
        public void publish(java.util.logging.LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
      logger.addHandler(handler);
      try {
        CacheConfig config = TestEngineKeys.builder()
            .applyEnvironment(Map.of("UCACHE_TLL", "10m")).build();

        assertThat(config.ttl()).isEmpty();
      } finally {
        logger.removeHandler(handler);
      }
      assertThat(records).singleElement().satisfies(record -> {
        assertThat(record.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
        assertThat(record.getMessage()).contains("Unknown configuration key 'UCACHE_TLL'")
            .contains("did you mean 'ttl'?").endsWith("the environment variable is ignored");
      });
    }

    @Test
    void applyEnvironment_invalidValue_throwsNamingTheVariableAndValue() {
      CacheConfigException e = configFailure("UCACHE_CACHES_USERS_TTL",
          () -> TestEngineKeys.builder().applyEnvironment(Map.of("UCACHE_CACHES_USERS_TTL", "10x")));

      assertThat(e.getMessage()).contains("'10x'");
    }

    @Test
    void applyEnvironment_nonPerCacheKeyForOneCache_throwsNamingIt() {
      assertThatThrownBy(() -> TestEngineKeys.builder()
          .applyEnvironment(Map.of("UCACHE_CACHES_USERS_ENGINE", "redis")))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("cannot be set for one cache");
    }

    @Test
    void applyEnvironment_noUcacheVariables_changesNothing() {
      CacheConfig config = TestEngineKeys.builder()
          .applyEnvironment(Map.of("PATH", "/bin", "JAVA_HOME", "/jdk", "UCACHEX", "1"))
          .build();

      assertThat(config).isEqualTo(CacheConfig.defaults());
    }

    @Test
    void applySystemProperties_ucacheProperties_mappedToKeys() {
      Properties properties = new Properties();
      properties.setProperty("ucache.ttl", "10m");
      properties.setProperty("ucache.caches.users.max-size", "25");
      properties.setProperty("ucache.redis.password", "pw");
      properties.setProperty("java.version", "17");
      properties.setProperty("ttl", "1s");
      properties.setProperty("myucache.ttl", "1s");
      properties.put("ucache.stats", Boolean.FALSE); // not a string: not a property at all

      CacheConfig config = TestEngineKeys.builder().applySystemProperties(properties).build();

      assertThat(config.ttl()).contains(Duration.ofMinutes(10));
      assertThat(config.forCache("users").maxSize()).hasValue(25);
      assertThat(config.maxSize()).isEmpty();
      assertThat(config.get(TestEngineKeys.REDIS_PASSWORD)).contains("pw");
      assertThat(config.stats()).isTrue();
      assertThat(config.describe().keySet())
          .containsExactly("ttl", "caches.users.max-size", "redis.password");
    }

    @Test
    void applySystemProperties_unknownProperty_throwsNamingIt() {
      Properties properties = new Properties();
      properties.setProperty("ucache.tll", "10m");

      CacheConfigException e = configFailure("ucache.tll",
          () -> TestEngineKeys.builder().applySystemProperties(properties));

      assertThat(e.getMessage()).contains("did you mean 'ttl'?");
    }

    @Test
    void applySystemProperties_defaultsOnly_seen() {
      Properties defaults = new Properties();
      defaults.setProperty("ucache.max-size", "3");
      Properties properties = new Properties(defaults);

      assertThat(TestEngineKeys.builder().applySystemProperties(properties).build().maxSize())
          .hasValue(3);
    }

    @Test
    void systemProperties_appliedAfterEnvironment_win() {
      Properties properties = new Properties();
      properties.setProperty("ucache.ttl", "20m");
      properties.setProperty("ucache.caches.users.ttl", "2s");

      CacheConfig config = TestEngineKeys.builder()
          .applyEnvironment(Map.of("UCACHE_TTL", "10m", "UCACHE_MAX_SIZE", "100",
              "UCACHE_CACHES_USERS_TTL", "1s"))
          .applySystemProperties(properties)
          .build();

      assertThat(config.ttl()).contains(Duration.ofMinutes(20));
      assertThat(config.maxSize()).as("set only in the environment").hasValue(100);
      assertThat(config.forCache("users").ttl()).contains(Duration.ofSeconds(2));
    }

    @Test
    void code_appliedAfterEnvironmentAndSystemProperties_wins() {
      Properties properties = new Properties();
      properties.setProperty("ucache.ttl", "20m");

      CacheConfig config = TestEngineKeys.builder()
          .applyEnvironment(Map.of("UCACHE_TTL", "10m"))
          .applySystemProperties(properties)
          .ttl(Duration.ofSeconds(1))
          .build();

      assertThat(config.ttl()).contains(Duration.ofSeconds(1));
    }
  }

  // --- equality -----------------------------------------------------------------------------

  @Nested
  class Equality {

    @Test
    void equals_sameSettingsInAnyOrder_equalWithSameHashCode() {
      CacheConfig a = TestEngineKeys.builder().ttl(Duration.ofMinutes(1)).maxSize(5)
          .cache("b", c -> c.stats(false)).cache("a", c -> c.maxSize(1)).build();
      CacheConfig b = TestEngineKeys.builder().maxSize(5).set("caches.a.max-size", "1")
          .set("ttl", "1m").set("caches.b.stats", "false").build();

      assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
      assertThat(a.toString()).isEqualTo(b.toString());
    }

    @Test
    void equals_differentValue_notEqual() {
      CacheConfig base = TestEngineKeys.builder().ttl(Duration.ofMinutes(1)).build();

      assertThat(base).isNotEqualTo(TestEngineKeys.builder().ttl(Duration.ofMinutes(2)).build());
      assertThat(base).isNotEqualTo(base.toBuilder().maxSize(1).build());
      assertThat(base).isNotEqualTo(base.toBuilder().set("caches.x.ttl", "1m").build());
      assertThat(base).isNotEqualTo(base.toBuilder().ticker(() -> 0L).build());
      assertThat(base).isNotEqualTo("CacheConfig{ttl=PT1M}");
      assertThat(base).isNotEqualTo(null);
    }

    @Test
    void equals_explicitDefaultValue_notEqualToUnset() {
      // isSet tells them apart, so equality does too: "set to the default" survives layering.
      CacheConfig explicit = TestEngineKeys.builder().namespace("ucache").build();

      assertThat(explicit.namespace()).isEqualTo(CacheConfig.defaults().namespace());
      assertThat(explicit.isSet("namespace")).isTrue();
      assertThat(explicit).isNotEqualTo(CacheConfig.defaults());
    }

    @Test
    void toString_setKeys_inKeyTableOrderRegardlessOfSetOrder() {
      CacheConfig config = TestEngineKeys.builder().stats(false).ttl(Duration.ofMinutes(10))
          .engine("caffeine").build();

      assertThat(config.toString()).isEqualTo("CacheConfig{engine=caffeine, ttl=PT10M, stats=false}");
    }
  }

  // --- require ------------------------------------------------------------------------------

  @Nested
  class Require {

    @Test
    void setRequire_commaSeparatedWithSpaces_parsedIntoCapabilities() {
      CacheConfig config = TestEngineKeys.builder().set("require", "persistent, shared").build();

      assertThat(config.require()).containsExactlyInAnyOrder(Capability.PERSISTENT,
          Capability.SHARED);
      assertThat(config.describe()).containsEntry("require", "persistent,shared");
    }

    @Test
    void setRequire_everyConfigName_parsed() {
      String all = String.join(",", EnumSet.allOf(Capability.class).stream()
          .map(Capability::configName).toList());

      assertThat(TestEngineKeys.builder().set("require", all).build().require())
          .containsExactlyInAnyOrder(Capability.values());
      assertThat(all).isEqualTo(
          "in-process,persistent,shared,distributed,per-entry-ttl,native-async,bulk");
    }

    @Test
    void setRequire_caseAndUnderscores_ignored() {
      assertThat(TestEngineKeys.builder().set("require", "PER_ENTRY_TTL, Native-Async").build()
          .require()).containsExactlyInAnyOrder(Capability.PER_ENTRY_TTL, Capability.NATIVE_ASYNC);
    }

    @Test
    void setRequire_empty_noCapabilities() {
      CacheConfig config = TestEngineKeys.builder().set("require", " , ").build();

      assertThat(config.require()).isEmpty();
    }

    @Test
    void setRequire_unknownCapability_throwsNamingKeyValueAndChoices() {
      CacheConfigException e = configFailure("require",
          () -> TestEngineKeys.builder().set("require", "persistent, teleport"));

      assertThat(e.getMessage())
          .contains("'persistent, teleport'")
          .contains("in-process, persistent, shared, distributed, per-entry-ttl, native-async, bulk");
    }

    @Test
    void require_returnedSet_isUnmodifiable() {
      Set<Capability> required = TestEngineKeys.builder().require(Capability.BULK).build().require();

      assertThatThrownBy(() -> required.add(Capability.SHARED))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void describe_returnedMap_isUnmodifiable() {
      Map<String, String> described = TestEngineKeys.builder().maxSize(1).build().describe();

      assertThatThrownBy(() -> described.put("ttl", "1s"))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void capabilityFromConfigName_unknown_throwsIllegalArgument() {
      assertThatThrownBy(() -> Capability.fromConfigName("teleport"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("teleport");
      assertThat(Capability.fromConfigName(" per-entry-ttl ")).isEqualTo(Capability.PER_ENTRY_TTL);
    }
  }
}
