package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
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
 * miss: each value read back is the one written, or absent, never another. The flips land in the
 * values' bytes; Ehcache's own records around them (its allocator, its lengths) are its
 * business, and a clean close checksums the files that hold its index.
 */
class EhcacheCorruptDataTest {

  private static final int ENTRIES = 2_000;
  private static final int FLIPS = 200;
  /** The start of every value's text, found in the data file to aim the flips at values. */
  private static final String MARK = "value number ";

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

  /** Flips {@link #FLIPS} bytes, chosen among the bytes of the values' text in the data files. */
  private static int flipWrittenBytes(Path folder, Random random) throws IOException {
    List<Path> dataFiles;
    try (Stream<Path> walk = Files.walk(folder)) {
      dataFiles = walk.filter(Files::isRegularFile)
          .filter(file -> file.getFileName().toString().endsWith(".data"))
          .collect(Collectors.toList());
    }
    List<long[]> written = new ArrayList<>(); // {file index, offset}
    for (int f = 0; f < dataFiles.size(); f++) {
      String bytes = new String(Files.readAllBytes(dataFiles.get(f)),
          StandardCharsets.ISO_8859_1);
      for (int at = bytes.indexOf(MARK); at >= 0; at = bytes.indexOf(MARK, at + 1)) {
        for (int i = 0; i < MARK.length(); i++) {
          written.add(new long[] {f, at + i});
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
