package io.ucache.ehcache;

import io.ucache.spi.FolderNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ucache.CacheConfigException;
import java.nio.file.Path;

/**
 * Fuzzes the folder-name sanitizer: any folder name either resolves to a direct child of
 * base-dir (never outside it, whatever dots, separators or control characters it holds), or is
 * refused with {@link CacheConfigException} naming {@code folder}; an absolute path is taken as
 * it is. Safe names use only portable characters, and two names share one only when equal.
 */
class FolderNamesFuzzTest {

  private static final Path BASE = Path.of("/tmp/ucache-fuzz-base").toAbsolutePath();

  @FuzzTest(maxDuration = "10s")
  void resolveAndSafeName_anyName_staysInBaseDirAndNeverCollides(FuzzedDataProvider data) {
    String first = data.consumeString(80);
    String second = data.consumeBoolean() ? first.toUpperCase() : data.consumeRemainingAsString();
    for (String name : new String[] {first, second}) {
      Path resolved;
      try {
        resolved = FolderNames.resolve(BASE, name);
      } catch (CacheConfigException refused) {
        assertThat(refused.key()).isEqualTo("folder");
        continue;
      } catch (RuntimeException other) {
        fail("resolving '" + name + "' threw " + other, other);
        return;
      }
      if (!name.startsWith("/") && !name.startsWith("~")) {
        assertThat(resolved.getParent()).as("folder of '%s'", name).isEqualTo(BASE);
      }
      String safe = FolderNames.safeName(name);
      assertThat(safe).matches("[a-z0-9_+-][a-z0-9._+-]{0,63}")
          .isNotIn(".", "..");
    }
    assertThat(FolderNames.safeName(first).equals(FolderNames.safeName(second)))
        .as("'%s' and '%s'", first, second).isEqualTo(first.equals(second));
  }
}
