package io.ucache.spring;

import io.ucache.CacheConfig;
import org.springframework.boot.actuate.endpoint.SanitizableData;

/**
 * Masks UCache's secrets in the actuator's {@code configprops} and {@code env} endpoints, even
 * when {@code management.endpoint.*.show-values=always}: any UCache property whose name ends in
 * {@code password} ({@code ucache.redis.password}, {@code UCACHE_REDIS_PASSWORD}), and the
 * password inside {@code ucache.redis.url}.
 */
final class UCacheSecrets {
  private UCacheSecrets() {}

  static SanitizableData sanitize(SanitizableData data) {
    String key = data.getLowerCaseKey();
    if (!key.startsWith("ucache") && !key.contains(".ucache.")) {
      return data;
    }
    if (key.endsWith("password")) {
      return data.withSanitizedValue();
    }
    Object value = data.getValue();
    if (value instanceof String text && (key.endsWith("url") || key.endsWith("redis_url"))) {
      return data.withValue(CacheConfig.maskSecrets(text));
    }
    return data;
  }
}
