package io.ucache.ehcache;

import io.ucache.spi.FolderNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfigException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder names never leave base-dir, and different names never share a folder. */
class FolderNamesTest {

  @TempDir
  Path baseDir;

  private Path resolve(String folder) {
    return FolderNames.resolve(baseDir, folder);
  }

  private void assertRejected(String folder, String why) {
    assertThatThrownBy(() -> resolve(folder))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("'folder'")
        .hasMessageContaining(why)
        .satisfies(e -> assertThat(((CacheConfigException) e).key()).isEqualTo("folder"));
  }

  @Test
  void resolve_plainName_isThatFolderUnderBaseDir() {
    assertThat(resolve("reports")).isEqualTo(baseDir.resolve("reports"));
    assertThat(resolve("my-app_2.cache")).isEqualTo(baseDir.resolve("my-app_2.cache"));
  }

  @Test
  void resolve_absolutePath_isUsedAsItIs() {
    Path elsewhere = baseDir.resolve("elsewhere").resolve("x").toAbsolutePath();

    assertThat(resolve(elsewhere.toString())).isEqualTo(elsewhere);
    assertThat(resolve(elsewhere + "/../y")).isEqualTo(elsewhere.resolveSibling("y"));
  }

  @Test
  void resolve_tilde_isTheHomeDirectory() {
    assertThat(resolve("~/ucache-test")).isEqualTo(
        Path.of(System.getProperty("user.home"), "ucache-test").normalize());
  }

  @Test
  void resolve_namesWithSeparatorsOrDots_areRejectedNamingTheFolder() {
    assertRejected("../x", "'../x'");
    assertRejected("a/../../b", "'a/../../b'");
    assertRejected("a/b", "cannot contain '/'");
    assertRejected("a\\b", "cannot contain '\\'");
    assertRejected("..", "'..'");
    assertRejected(".", "'.'");
  }

  @Test
  void resolve_emptyOrBlank_isRejected() {
    assertRejected("", "it is empty");
    assertRejected("  ", "it is empty");
  }

  @Test
  void resolve_controlCharacters_areRejectedAndShownEscaped() {
    assertRejected("a\nb", "'a\\u000Ab'");
    assertRejected("a\u0000b", "U+0000");
    assertRejected("tab\there", "U+0009");
  }

  @Test
  void resolve_anyOtherName_staysADirectChildOfBaseDir() {
    for (String name : List.of("Reports", "with space", "ünïcödé", "..hidden", ".x", "a:b",
        "what?", "star*", "x".repeat(300), "con", "nul.txt", "trailing.", "a+b", "%2e%2e")) {
      Path folder = resolve(name);
      assertThat(folder.getParent()).as(name).isEqualTo(baseDir.toAbsolutePath().normalize());
      assertThat(folder.getFileName().toString()).as(name)
          .hasSizeLessThanOrEqualTo(64).matches("[a-z0-9._+-]+").doesNotStartWith(".");
    }
  }

  @Test
  void safeName_namesDifferingOnlyInCase_getDifferentNamesEvenIgnoringCase() {
    List<String> names = List.of("reports", "Reports", "REPORTS", "rePorts");
    Set<String> folded = new HashSet<>();
    for (String name : names) {
      folded.add(FolderNames.safeName(name).toLowerCase(Locale.ROOT));
    }

    assertThat(folded).hasSize(names.size());
  }

  @Test
  void safeName_overLongNamesWithTheSamePrefix_getDifferentShortNames() {
    String a = "x".repeat(200) + "a";
    String b = "x".repeat(200) + "b";

    assertThat(FolderNames.safeName(a)).isNotEqualTo(FolderNames.safeName(b));
    assertThat(FolderNames.safeName(a)).hasSizeLessThanOrEqualTo(64);
  }

  @Test
  void safeName_escapedNames_neverCollideWithPlainOnes() {
    // A plain name cannot contain '+', which every hashed name does.
    assertThat(FolderNames.safeName("a b")).contains("+");
    assertThat(FolderNames.safeName("a_b")).isEqualTo("a_b");
    assertThat(FolderNames.safeName("a b")).isNotEqualTo(FolderNames.safeName("a_b"));
    assertThat(FolderNames.safeName("a+b")).isNotEqualTo("a+b");
  }

  @Test
  void safeName_unpairedSurrogates_keepNamesApart() {
    assertThat(FolderNames.safeName("a\uD800")).isNotEqualTo(FolderNames.safeName("a\uDC00"));
  }

  @Test
  void safeName_windowsDeviceNames_areNotUsedAsTheyAre() {
    assertThat(FolderNames.safeName("con")).isNotEqualTo("con");
    assertThat(FolderNames.safeName("lpt1.log")).isNotEqualTo("lpt1.log");
    assertThat(FolderNames.safeName("console")).isEqualTo("console");
  }

  @Test
  void safeName_sameName_isStable() {
    assertThat(FolderNames.safeName("My Reports")).isEqualTo(FolderNames.safeName("My Reports"))
        .startsWith("my_reports+");
  }
}
