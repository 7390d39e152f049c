package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;

/**
 * Fuzzes the text forms of configuration: {@link CacheConfig#parseDuration},
 * {@link CacheConfig#parseSize}, and every key of the key table as
 * {@link CacheConfig.Builder#set} reads it. Any text either parses or is refused with the one
 * documented exception: {@link IllegalArgumentException} from the parsers, a
 * {@link CacheConfigException} naming the key from {@code set}, whose message never holds a
 * secret's value. In {@code mvn verify} it fuzzes for a bounded time (see the module's pom);
 * in a plain test run it replays the inputs under {@code ConfigParsersFuzzTestInputs}.
 */
class ConfigParsersFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void parsersAndKeys_anyText_parseOrRefuseWithTheDocumentedException(FuzzedDataProvider data) {
    String text = data.consumeRemainingAsString();
    checkSize(text);
    checkDuration(text);
    for (String key : GenericKeys.ALL.keySet()) {
      checkKey(key, text);
      checkKey("caches.fuzzed." + key, text);
    }
  }

  private static void checkSize(String text) {
    long size;
    try {
      size = CacheConfig.parseSize(text);
    } catch (IllegalArgumentException refused) {
      return;
    }
    assertThat(size).as("size of '%s'", text).isNotNegative();
    assertThat(CacheConfig.parseSize(Long.toString(size))).isEqualTo(size);
    assertThat(CacheConfig.parseSize(size + "B")).isEqualTo(size);
  }

  private static void checkDuration(String text) {
    Duration duration;
    try {
      duration = CacheConfig.parseDuration(text);
    } catch (IllegalArgumentException refused) {
      return;
    }
    // Every parsed duration has an ISO-8601 form that parses back to it.
    assertThat(CacheConfig.parseDuration(duration.toString())).as("'%s'", text)
        .isEqualTo(duration);
  }

  private static void checkKey(String key, String text) {
    try {
      CacheConfig config = CacheConfig.builder().set(key, text).build();
      assertThat(config.toString()).isNotNull();
    } catch (CacheConfigException refused) {
      assertThat(refused.key()).as("the key named by %s", refused).isEqualTo(key);
      ConfigKey<?> generic = GenericKeys.ALL.get(key);
      if (generic != null && generic.secret && text.length() > 3) {
        assertThat(refused.getMessage()).doesNotContain(text);
      }
    } catch (RuntimeException other) {
      fail("set('" + key + "', '" + text + "') threw " + other, other);
    }
  }
}
