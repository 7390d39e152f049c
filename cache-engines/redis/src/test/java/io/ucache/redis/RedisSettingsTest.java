package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.context.EngineManager;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The redis engine's own keys, now declared by its provider: a bad value from every text source
 * is refused before any connection, naming the key as written and never echoing a secret; and
 * the password is masked in the checked configuration's {@code toString}.
 */
class RedisSettingsTest {

  private static final String SECRET = "hunter2-do-not-print";
  private static final Map<String, List<String>> BAD_VALUES = Map.of(
      "redis.url", List.of("http://localhost:6379", "localhost:6379",
          "redis://user:" + SECRET + "@ host:1", ""),
      "redis.username", List.of("", "   "),
      "redis.password", List.of(""),
      "redis.cluster", List.of("perhaps"),
      "redis.value-format", List.of("raw", "json"));

  private final EngineManager manager = EngineManager.getDefault();

  @Test
  void badValues_coverEveryDeclaredKey() {
    assertThat(BAD_VALUES.keySet()).containsExactlyInAnyOrderElementsOf(
        RedisSettings.ALL.stream().map(k -> k.name()).toList());
    assertThat(manager.configKeys().get("redis")).containsExactlyElementsOf(RedisSettings.ALL);
  }

  @Test
  void badValue_everySource_refusedNamingTheKeyAndHidingSecrets() {
    BAD_VALUES.forEach((key, values) -> {
      for (String value : values) {
        Properties properties = new Properties();
        properties.setProperty("ucache." + key, value);
        String variable = "UCACHE_" + io.ucache.ConfigKey.environmentVariableOf(key);
        Map<String, Runnable> sources = Map.of(
            key, () -> manager.configBuilder().set(key, value),
            "ucache." + key, () -> manager.configBuilder().applySystemProperties(properties),
            variable, () -> manager.configBuilder().applyEnvironment(Map.of(variable, value)),
            key + " ", () -> manager.create(CacheConfig.from(Map.of(key, value)).toBuilder()
                .engine("redis").build()));
        sources.forEach((shownAs, source) -> {
          CacheConfigException e = catchThrowableOfType(CacheConfigException.class, source::run);
          assertThat(e).as("%s=%s", shownAs, value).isNotNull();
          assertThat(e.key()).isEqualTo(shownAs.trim());
          assertThat(e.getMessage()).contains("'" + shownAs.trim() + "'").doesNotContain(SECRET);
        });
      }
    });
  }

  @Test
  void checkedConfig_masksPasswordAndUrlPassword() {
    CacheConfig raw = CacheConfig.builder()
        .set("redis.url", "redis://user:" + SECRET + "@localhost:6379")
        .applyEnvironment(Map.of("UCACHE_REDIS_PASSWORD", SECRET)).build();
    CacheConfig checked = manager.check(raw);

    assertThat(raw.toString()).doesNotContain(SECRET);
    assertThat(checked.toString()).doesNotContain(SECRET)
        .contains("redis.url=redis://user:****@localhost:6379").contains("redis.password=****");
    assertThat(checked.get(RedisSettings.PASSWORD)).contains(SECRET);
    assertThat(checked.get(RedisSettings.URL)).contains("redis://user:" + SECRET
        + "@localhost:6379");
  }

  @Test
  void perCache_redisUrl_refusedAsNotPerCache() {
    CacheConfigException e = catchThrowableOfType(CacheConfigException.class,
        () -> manager.configBuilder().set("caches.users.redis.url", "redis://h"));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("cannot be set for one cache");
  }
}
