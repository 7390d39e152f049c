package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, defect 8 (the value half): bytes flipped in Ehcache's data file of a folder closed
 * cleanly (a bad sector, a stray write) once served 63 of 2,000 values silently wrong. Every
 * entry now carries a CRC32C in the stored-value format, so a damaged entry reads as a counted
 * miss: each value read back is the one written, or absent, never another.
 */
class EhcacheCorruptDataTest {

  private static final int ENTRIES = 2_000;
  private static final int FLIPS = 200;

  @TempDir
  Path temp;

  private CacheEngine open() {
    return EngineManager.getDefault().create(CacheConfig.builder().engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, temp).set(EhcacheSettings.FOLDER, "f").build());
  }

  private static String value(int i) {
    return "value number " + i + " of the corruption test";
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void reopen_bytesFlippedInTheDataFile_everyValueReadIsRightOrAbsentNeverWrong(long seed)
      throws IOException {
    try (CacheEngine writer = open()) {
      Cache<String, String> cache = writer.cache("c", String.class, String.class);
      for (int i = 0; i < ENTRIES; i++) {
        cache.put("k" + i, value(i));
      }
    }
    int flipped = flipWrittenBytes(temp.resolve("f"), new Random(seed));
    assertThat(flipped).as("bytes flipped in the data files").isEqualTo(FLIPS);

    try (CacheEngine engine = open()) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      int absent = 0;
      for (int i = 0; i < ENTRIES; i++) {
        String read = cache.get("k" + i);
        assertThat(read).as("k" + i).isIn(null, value(i));
        absent += read == null ? 1 : 0;
      }
      assertThat(absent).as("entries the flips damaged, read as misses").isPositive();
      assertThat(cache.stats().errorCount()).as("damaged entries found, counted").isPositive();
      cache.put("after", "works");
      assertThat(cache.get("after")).isEqualTo("works");
    }
  }

  /** Flips {@link #FLIPS} bytes, chosen among the non-zero bytes of the data files. */
  private static int flipWrittenBytes(Path folder, Random random) throws IOException {
    List<Path> dataFiles;
    try (Stream<Path> walk = Files.walk(folder)) {
      dataFiles = walk.filter(Files::isRegularFile)
          .filter(file -> file.getFileName().toString().endsWith(".data"))
          .collect(Collectors.toList());
    }
    List<long[]> written = new ArrayList<>(); // {file index, offset}
    for (int f = 0; f < dataFiles.size(); f++) {
      byte[] bytes = Files.readAllBytes(dataFiles.get(f));
      for (int at = 0; at < bytes.length; at++) {
        if (bytes[at] != 0) {
          written.add(new long[] {f, at});
        }
      }
    }
    int flipped = 0;
    for (int n = 0; n < FLIPS && !written.isEmpty(); n++) {
      long[] pick = written.remove(random.nextInt(written.size()));
      try (RandomAccessFile file = new RandomAccessFile(dataFiles.get((int) pick[0]).toFile(),
          "rw")) {
        file.seek(pick[1]);
        int old = file.read();
        file.seek(pick[1]);
        file.write(old ^ (1 + random.nextInt(255)));
        flipped++;
      }
    }
    return flipped;
  }
}
