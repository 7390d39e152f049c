package io.ucache;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keys declared as the ehcache and redis engines declare theirs (same names, same rules), so that
 * this module's tests can check engine keys through every source with no engine installed.
 */
public final class TestEngineKeys {
  private TestEngineKeys() {}

  public static final ConfigKey<String> FOLDER = ConfigKey.ofString("folder");
  public static final ConfigKey<Path> BASE_DIR = ConfigKey.ofPath("base-dir")
      .withDefault(Path.of(System.getProperty("user.home"), ".cache", "ucache"));
  public static final ConfigKey<Long> DISK_SIZE = ConfigKey.ofSize("disk-size").perCache();
  public static final ConfigKey<String> REDIS_URL = ConfigKey.ofUrl("redis.url")
      .validate(TestEngineKeys::validUrls, "redis://host:port");
  public static final ConfigKey<String> REDIS_USERNAME = ConfigKey.ofString("redis.username");
  public static final ConfigKey<String> REDIS_PASSWORD = ConfigKey.ofSecret("redis.password");
  public static final ConfigKey<Boolean> REDIS_CLUSTER =
      ConfigKey.ofBoolean("redis.cluster").withDefault(false);

  public static final List<ConfigKey<?>> ALL =
      List.of(FOLDER, BASE_DIR, DISK_SIZE, REDIS_URL, REDIS_USERNAME, REDIS_PASSWORD, REDIS_CLUSTER);

  /** A builder that checks these keys as they are set. */
  public static CacheConfig.Builder builder() {
    return CacheConfig.builder().declare(Map.of("test", ALL));
  }

  /** {@code properties} read by a builder that checks these keys. */
  public static CacheConfig from(Map<?, ?> properties) {
    return builder().setAll(properties).build();
  }

  /** {@code config} checked against these keys, as an engine manager would. */
  public static CacheConfig checked(CacheConfig config) {
    return config.checkedAgainst(Map.of("test", ALL));
  }

  /** {@code builder}'s configuration, checked. */
  public static CacheConfig checked(CacheConfig.Builder builder) {
    return checked(builder.build());
  }

  /** As the redis engine's rule: each part a Redis URL, or a bare sentinel after a sentinel URL. */
  private static boolean validUrls(String text) {
    String[] parts = text.split(",", -1);
    boolean sentinel = parts[0].trim().toLowerCase(Locale.ROOT).matches("rediss?-sentinel://.*");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].trim().toLowerCase(Locale.ROOT);
      boolean url = part.matches("(redis|rediss|redis-sentinel|rediss-sentinel)://\\S+");
      boolean bareSentinel = sentinel && i > 0 && part.matches("[^\\s/@:]+:\\d+(#\\S+)?");
      if (!url && !bareSentinel) {
        return false;
      }
    }
    return true;
  }
}
