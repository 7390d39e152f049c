package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keys that are not generic, given with no declaration in sight: kept as text (masked when
 * shown) until a declaration checks them; near-misses of generic keys refused at once; an
 * environment variable matched to its key by its upper-case form.
 */
class EngineKeysTest {

  private static final Map<String, java.util.List<ConfigKey<?>>> DECLARED =
      Map.of("test", TestEngineKeys.ALL);

  @Test
  void undeclaredKey_keptAsTextMaskedUntilChecked() {
    CacheConfig config = CacheConfig.builder().set("folder", "reports").build();

    assertThat(config.toString()).isEqualTo("CacheConfig{folder=****}");
    assertThat(config.get(TestEngineKeys.FOLDER)).contains("reports");
    assertThat(config.checkedAgainst(DECLARED).toString()).isEqualTo("CacheConfig{folder=reports}");
  }

  @Test
  void unknownKey_failsWhenCheckedListingTheDeclaredKeysAndTheClosest() {
    CacheConfig config = CacheConfig.builder().set("foldr", "x").build();

    assertThatThrownBy(() -> config.checkedAgainst(DECLARED))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("Unknown configuration key 'foldr'")
        .hasMessageContaining("did you mean 'folder'?")
        .hasMessageContaining("test: folder, base-dir, disk-size");
  }

  @Test
  void nearMissOfAGenericKey_refusedAtOnce() {
    assertThatThrownBy(() -> CacheConfig.builder().set("tll", "1s"))
        .hasMessageContaining("did you mean 'ttl'?");
    assertThatThrownBy(() -> ConfigKey.ofString("max-sise"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConfigKey.ofString("ttl")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void environmentVariable_matchedByItsForm_andLaterSourcesWin() {
    CacheConfig config = CacheConfig.builder()
        .applyEnvironment(Map.of("UCACHE_BASE_DIR", "/from/env",
            "UCACHE_CACHES_USERS_DISK_SIZE", "1MB", "UCACHE_REDIS_PASSWORD", "pw"))
        .set("base-dir", "/from/code")
        .build().checkedAgainst(DECLARED);

    assertThat(config.get(TestEngineKeys.BASE_DIR)).contains(Path.of("/from/code"));
    assertThat(config.forCache("users").get(TestEngineKeys.DISK_SIZE)).contains(1L << 20);
    assertThat(config.get(TestEngineKeys.DISK_SIZE)).isEmpty();
    assertThat(config.toString()).contains("redis.password=****").doesNotContain("pw,")
        .contains("caches.users.disk-size=1MB");
  }

  @Test
  void unknownEnvironmentVariable_skippedWithAWarning_whileExplicitSourcesRefuseIt() {
    CacheConfig config = CacheConfig.builder()
        .applyEnvironment(Map.of("UCACHE_HOME", "/opt/other-tool", "UCACHE_TLL", "1s",
            "UCACHE_CACHES_USERS_COLOUR", "red", "UCACHE_BASE_DIR", "/from/env"))
        .build().checkedAgainst(DECLARED);

    assertThat(config.get(TestEngineKeys.BASE_DIR)).contains(Path.of("/from/env"));
    assertThat(config.describe()).containsOnlyKeys("base-dir");
    assertThatThrownBy(() -> CacheConfig.builder().set("home", "/x").build()
        .checkedAgainst(DECLARED)).isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("Unknown configuration key 'home'");
    assertThatThrownBy(() -> CacheConfig.builder().set("tll", "1s"))
        .hasMessageContaining("did you mean 'ttl'?");
  }

  @Test
  void environmentVariable_badValueOfAKnownKey_stillRefused() {
    assertThatThrownBy(() -> CacheConfig.builder()
        .applyEnvironment(Map.of("UCACHE_CACHES_USERS_DISK_SIZE", "lots")).build()
        .checkedAgainst(DECLARED)).isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("UCACHE_CACHES_USERS_DISK_SIZE");
  }

  @Test
  void environmentVariable_engineKeyOfACacheWithDashesOrCapitals_reached() {
    CacheConfig config = CacheConfig.builder()
        .applyEnvironment(Map.of("UCACHE_CACHES_PRIME_COUNTS_DISK_SIZE", "2MB"))
        .build().checkedAgainst(DECLARED);

    assertThat(config.forCache("prime-counts").get(TestEngineKeys.DISK_SIZE)).contains(2L << 20);
    assertThat(config.forCache("Prime.Counts").get(TestEngineKeys.DISK_SIZE)).contains(2L << 20);
  }

  @Test
  void environmentVariable_engineKeyOfACache_winsOverTheExactNameSetBefore() {
    CacheConfig config = CacheConfig.builder()
        .set("caches.prime-counts.disk-size", "1MB")
        .applyEnvironment(Map.of("UCACHE_CACHES_PRIME_COUNTS_DISK_SIZE", "2MB"))
        .build().checkedAgainst(DECLARED);

    assertThat(config.forCache("prime-counts").get(TestEngineKeys.DISK_SIZE)).contains(2L << 20);
  }

  @Test
  void perCacheTextKey_cacheNameWithDots_splitByTheDeclaredKey() {
    CacheConfig config = CacheConfig.builder().set("caches.a.b.disk-size", "2KB").build()
        .checkedAgainst(DECLARED);

    assertThat(config.forCache("a.b").get(TestEngineKeys.DISK_SIZE)).contains(2048L);
    assertThat(config.overriddenCaches()).isEmpty(); // generic overrides only
  }

  @Test
  void secretKey_typedValue_neverShownNorEchoed() {
    CacheConfig config = CacheConfig.builder().set(TestEngineKeys.REDIS_PASSWORD, "s3cret")
        .build();

    assertThat(config.toString()).doesNotContain("s3cret");
    assertThatThrownBy(() -> CacheConfig.builder().set("redis.password", "").build()
        .checkedAgainst(DECLARED)).hasMessageNotContaining("s3cret")
        .hasMessageContaining("'****'");
  }
}
