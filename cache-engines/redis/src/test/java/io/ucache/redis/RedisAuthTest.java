package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Password ({@code requirepass}) and ACL-user authentication, and what a refusal says. */
class RedisAuthTest {

  private static final String PASSWORD = "s3cret-Pässword";
  private static final String WRONG = "wrong-Pässword-42";

  private static CacheEngine open(CacheConfig.Builder config) {
    return EngineManager.getDefault().create(config.engine("redis").set("timeout", "2s")
        .set("redis.value-format", "plain").build());
  }

  private static void assertWorks(CacheEngine engine, RedisServerExtension server) {
    try (engine) {
      Cache<String, String> cache = engine.cache("auth", String.class, String.class);
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");
      assertThat(server.cli("GET", "ucache:auth:k")).isEqualTo("v");
    }
  }

  @Nested
  class RequirePass {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.withPassword(PASSWORD);

    @Test
    void open_passwordKey_connects() {
      assertWorks(open(CacheConfig.builder().set("redis.url", redis.url())
          .set("redis.password", PASSWORD)), redis);
    }

    @Test
    void open_passwordInUrl_connects() {
      assertWorks(open(CacheConfig.builder()
          .set("redis.url", "redis://" + PASSWORD.replace("ä", "%C3%A4") + "@127.0.0.1:"
              + redis.port())), redis);
    }

    @Test
    void open_wrongPassword_clearErrorWithoutThePassword() {
      for (String failMode : new String[] {"closed", "open"}) {
        assertThatThrownBy(() -> open(CacheConfig.builder().set("redis.url", redis.url())
            .set("redis.password", WRONG).set("fail-mode", failMode)))
            .isInstanceOf(EngineUnavailableException.class)
            .hasMessageContaining("WRONGPASS")
            .hasMessageNotContaining(WRONG)
            .satisfies(e -> assertThat(String.valueOf(e)).doesNotContain(WRONG))
            .hasNoCause();
      }
    }

    @Test
    void open_noPassword_clearError() {
      assertThatThrownBy(() -> open(CacheConfig.builder().set("redis.url", redis.url())))
          .isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("NOAUTH");
    }
  }

  @Nested
  class AclUser {
    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.withUser("app", PASSWORD);

    @Test
    void open_usernameAndPasswordKeys_connects() {
      assertWorks(open(CacheConfig.builder().set("redis.url", redis.url())
          .set("redis.username", "app").set("redis.password", PASSWORD)), redis);
    }

    @Test
    void open_userInUrl_connects() {
      assertWorks(open(CacheConfig.builder().set("redis.url", "redis://app:"
          + PASSWORD.replace("ä", "%C3%A4") + "@127.0.0.1:" + redis.port())), redis);
    }

    @Test
    void open_wrongUserPassword_clearErrorWithoutThePassword() {
      String url = "redis://app:" + WRONG.replace("ä", "%C3%A4") + "@127.0.0.1:" + redis.port();
      assertThatThrownBy(() -> open(CacheConfig.builder().set("redis.url", url)))
          .isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("WRONGPASS")
          .hasMessageNotContaining(WRONG)
          .hasMessageNotContaining(WRONG.replace("ä", "%C3%A4"));
    }
  }
}
