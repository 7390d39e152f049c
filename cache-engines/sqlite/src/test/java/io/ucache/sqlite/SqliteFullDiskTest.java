package io.ucache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.context.EngineManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sqlite engine on a real full disk, and on one made read-only: a 2 MB tmpfs mounted for each
 * test (the tests run as root, here and in CI; {@code mount} failing fails the test). A write
 * the disk refuses is a failure that says why, under {@code fail-mode}: thrown ({@code closed})
 * or counted ({@code open}); never an {@code Error} or a hang; what was written before stays
 * readable. A folder on a read-only disk is refused when the engine opens, naming it.
 */
class SqliteFullDiskTest {

  private static final String VALUE = "v".repeat(4_000);

  @TempDir
  Path temp;

  private Path disk;

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = Files.createDirectory(temp.resolve("disk"));
    run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", disk.toString());
  }

  @AfterEach
  void unmount() throws Exception {
    run("umount", "-l", disk.toString());
  }

  private CacheEngine open(FailMode mode) {
    return EngineManager.getDefault().create(CacheConfig.builder().engine("sqlite")
        .set(SqliteSettings.FOLDER, disk.resolve("cache").toString())
        .set(SqliteSettings.DISK_SIZE, 1L << 30) // the disk, not the bound, is what fills
        .failMode(mode).stats(true).build());
  }

  @Test
  void diskFills_failClosed_putThrowsSayingTheDiskIsFull_earlierEntriesStayReadable() {
    try (CacheEngine engine = open(FailMode.CLOSED)) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      cache.put("first", VALUE);
      assertThatThrownBy(() -> {
        for (int i = 0; i < 10_000; i++) { // 40 MB: far more than the disk holds
          cache.put("key-" + i, VALUE);
        }
      }).isInstanceOf(EngineUnavailableException.class).hasMessageContaining("disk is full");
      assertThat(cache.get("first")).isEqualTo(VALUE);
    }
  }

  @Test
  void diskFills_failOpen_putsAreCountedFailures_noException() {
    try (CacheEngine engine = open(FailMode.OPEN)) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      cache.put("first", VALUE);
      for (int i = 0; i < 1_000; i++) { // 4 MB: twice what the disk holds
        cache.put("key-" + i, VALUE);
      }
      assertThat(cache.stats().errorCount()).isPositive();
      assertThat(cache.get("first")).isEqualTo(VALUE);
    }
  }

  @Test
  void folderOnAReadOnlyDisk_refusedAtOpenNamingIt_entriesKept() throws Exception {
    try (CacheEngine engine = open(FailMode.CLOSED)) {
      engine.cache("c", String.class, String.class).put("first", "v");
    }
    run("mount", "-o", "remount,ro", disk.toString()); // nothing holds a file open now
    try {
      assertThatThrownBy(() -> open(FailMode.OPEN))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining(disk.resolve("cache").toString())
          .hasMessageContaining("not writable");
    } finally {
      run("mount", "-o", "remount,rw", disk.toString());
    }
    try (CacheEngine engine = open(FailMode.CLOSED)) {
      assertThat(engine.cache("c", String.class, String.class).get("first")).isEqualTo("v");
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", List.of(command))
        .isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("%s (needs root): %s", List.of(command), output).isZero();
  }
}
