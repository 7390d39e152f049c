package io.ucache.spring;

import io.ucache.CacheKeys;
import java.lang.reflect.Field;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * Spring cache keys as the {@code String} keys that engines storing bytes need: the canonical
 * text {@code @UCache} keys use ({@link CacheKeys}), the same in every JVM, so that
 * {@code @Cacheable("prices")} and {@code @UCache(name = "prices")} of the same arguments share
 * an entry. A {@link SimpleKey} (what Spring's default key generator makes of several arguments,
 * or none) is encoded by its arguments.
 */
final class SpringKeys {
  private SpringKeys() {}

  /** SimpleKey keeps its arguments private; read once, here, rather than trust its toString. */
  private static final @Nullable Field SIMPLE_KEY_PARAMS = simpleKeyParams();

  private static @Nullable Field simpleKeyParams() {
    try {
      Field field = SimpleKey.class.getDeclaredField("params");
      return field.trySetAccessible() && field.getType() == Object[].class ? field : null;
    } catch (NoSuchFieldException e) {
      return null;
    }
  }

  /**
   * The canonical text of {@code key}.
   *
   * @throws IllegalArgumentException naming the key's type if it has no canonical form
   */
  static String encode(Object key) {
    if (key instanceof SimpleKey simple) {
      if (SIMPLE_KEY_PARAMS == null) {
        throw new IllegalArgumentException("This Spring version's SimpleKey cannot be read; "
            + "configure a KeyGenerator that returns strings for caches on disk or remote engines");
      }
      try {
        return CacheKeys.of((Object[]) SIMPLE_KEY_PARAMS.get(simple));
      } catch (IllegalAccessException e) {
        throw new IllegalArgumentException("Cannot read the arguments of " + simple, e);
      }
    }
    return CacheKeys.of(key);
  }
}
