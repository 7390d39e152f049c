package io.ucache.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.ConfigKey;
import io.ucache.context.EngineManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration tables list exactly the generic keys and the keys the first-party
 * engines' providers declare, each engine key under its engine.
 */
class ReadmeKeyTableTest {

  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9.<>-]+)` \\| ([^|]*)\\|",
      Pattern.MULTILINE);

  @Test
  void readmeKeyTables_listEveryGenericKeyAndEveryFirstPartyEngineKey() throws IOException {
    String readme = Files.readString(Path.of("../README.md"));
    String section = readme.substring(readme.indexOf("| key | value | default |"),
        readme.indexOf("A new engine's keys are as easy"));
    Map<String, String> rows = new LinkedHashMap<>();
    Matcher m = ROW.matcher(section);
    while (m.find()) {
      rows.put(m.group(1), m.group(2).trim());
    }

    Map<String, String> expected = new LinkedHashMap<>();
    CacheConfig.keys().forEach(key -> expected.put(key, null));
    expected.put("caches.<name>.<key>", null);
    Map<String, List<ConfigKey<?>>> declared = EngineManager.getDefault().configKeys();
    for (String engine : List.of("caffeine", "ehcache", "redis", "sqlite")) {
      // A key two engines declare (folder, base-dir) lists both: "ehcache, sqlite".
      declared.getOrDefault(engine, List.of()).forEach(key -> expected.merge(key.name(), engine,
          (first, second) -> first == null ? second : first + ", " + second));
    }

    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach((key, engine) -> {
      if (engine != null) {
        assertThat(rows.get(key)).as("engine column of %s", key).isEqualTo(engine);
      }
    });
  }
}
