package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineHealth;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.context.EngineManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, defect 9: the ehcache engine on a real full disk, a 24 MB tmpfs mounted for each
 * test (the tests run as root, here and in CI; {@code mount} failing fails the test). Before the
 * fix, puts threw {@code java.lang.InternalError} (a SIGBUS in Ehcache's mapped disk file) and,
 * after some more, blocked for ever on an off-heap segment lock.
 *
 * <p>Ehcache's disk writers run behind the puts, so the entries written before the disk fills
 * are flushed by a clean close first: then the free space the guard reads is the free space the
 * test leaves, and every later put meets the same full disk.
 */
class EhcacheFullDiskTest {

  private static final Duration BOUND = Duration.ofSeconds(90);
  private static final String VALUE = "v".repeat(4_000);

  @TempDir
  Path temp;

  private Path disk;
  private final List<CacheEngine> engines = new ArrayList<>();

  @BeforeEach
  void mountSmallDisk() throws Exception {
    disk = Files.createDirectory(temp.resolve("disk"));
    run("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", disk.toString());
  }

  @AfterEach
  void unmount() throws Exception {
    try {
      engines.forEach(CacheEngine::close);
    } finally {
      // Lazily: Ehcache's closed stores stay mapped until their buffers are collected.
      run("umount", "-l", disk.toString());
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", List.of(command))
        .isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("%s (needs root): %s", List.of(command), output).isZero();
  }

  /** Opens an engine, writes {@code count} entries and closes it cleanly: all on disk. */
  private void writeAndClose(int count) {
    try (CacheEngine engine = open(FailMode.CLOSED)) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      for (int i = 0; i < count; i++) {
        cache.put("k" + i, VALUE + i);
      }
      cache.put("old", "before the disk filled");
    }
  }

  private CacheEngine open(FailMode mode) {
    CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("ehcache").set(EhcacheSettings.BASE_DIR, disk).set(EhcacheSettings.FOLDER, "f")
        .failMode(mode).build());
    engines.add(engine);
    return engine;
  }

  private static long diskFailures(CacheEngine engine) {
    return engine.unwrap(EhcacheEngine.class).diskFailures();
  }

  /**
   * Fills the disk with a file of its own, to {@code leftFree} bytes free: deterministic, where
   * filling it through Ehcache depends on how far its disk writer threads lag behind the puts.
   */
  private void fillDisk(long leftFree) throws IOException {
    long free = Files.getFileStore(disk).getUsableSpace();
    byte[] block = new byte[1 << 16];
    try (var out = Files.newOutputStream(disk.resolve("filler"))) {
      for (long written = 0; written < free - leftFree; written += block.length) {
        out.write(block);
      }
    }
  }

  @Test
  void put_onFullDisk_failClosed_throwsCountedEngineUnavailableExceptionAndNeverHangs()
      throws IOException {
    writeAndClose(200);
    CacheEngine engine = open(FailMode.CLOSED);
    Cache<String, String> cache = engine.cache("c", String.class, String.class);
    fillDisk(DiskGuard.RESERVE_BYTES / 2);
    List<EngineUnavailableException> refused = new ArrayList<>();

    assertTimeoutPreemptively(BOUND, () -> {
      for (int i = 200; i < 2_200; i++) {
        try {
          cache.put("k" + i, VALUE + i);
        } catch (EngineUnavailableException e) {
          refused.add(e);
        }
      }
    }, "a put blocked on the full disk");

    assertThat(refused).as("every put refused").hasSize(2_000);
    assertThat(refused.get(0)).hasMessageContaining("is full")
        .hasMessageContaining(disk.resolve("f").toString()).hasMessageContaining("'c'");
    assertThat(cache.stats().errorCount()).as("each refusal counted").isEqualTo(2_000);
    assertThat(diskFailures(engine)).isEqualTo(2_000);
    for (int i = 200; i < 2_200; i++) {
      assertThat(cache.get("k" + i)).as("k" + i).isNull();
    }
    assertThat(cache.get("k0")).isEqualTo(VALUE + 0);
    EngineHealth health = engine.health();
    assertThat(health.status()).isEqualTo(EngineHealth.Status.DEGRADED);
    assertThat(health.reason()).startsWith("the disk is full");
    assertThat(health.details()).containsEntry("folder", disk.resolve("f").toString());

    engine.close();
    Cache<String, String> reopened = open(FailMode.CLOSED).cache("c", String.class, String.class);
    assertThat(reopened.get("k199")).as("kept by the clean close").isEqualTo(VALUE + 199);
  }

  @Test
  void put_onFullDisk_failOpen_dropsTheWriteAndTheOlderValue() throws IOException {
    writeAndClose(1);
    CacheEngine engine = open(FailMode.OPEN);
    Cache<String, String> cache = engine.cache("c", String.class, String.class);
    fillDisk(DiskGuard.RESERVE_BYTES / 2);

    assertTimeoutPreemptively(BOUND, () -> {
      for (int i = 1; i < 2_001; i++) {
        cache.put("k" + i, VALUE + i); // never throws
      }
      cache.put("old", "while the disk is full");
    }, "a put blocked on the full disk");

    assertThat(diskFailures(engine)).as("refused by the disk guard").isEqualTo(2_001);
    assertThat(cache.stats().errorCount()).as("dropped writes, in the cache's errorCount")
        .isEqualTo(2_001);
    for (int i = 1; i < 2_001; i++) {
      assertThat(cache.get("k" + i)).as("k" + i).isNull();
    }
    assertThat(cache.get("old")).as("never the value a refused write replaced").isNull();
    assertThat(cache.get("k0")).isEqualTo(VALUE + 0);
  }
}
