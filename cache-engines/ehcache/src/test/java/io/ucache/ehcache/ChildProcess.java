package io.ucache.ehcache;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * The other process of {@link EhcacheProcessTest}, started with the test's class path:
 * {@code ChildProcess MODE FOLDER} opens the ehcache engine on {@code FOLDER} and
 *
 * <ul>
 *   <li>{@code write}: writes {@link #writeEntries}, prints {@code written-at} the wall-clock
 *       times before and after the entries with a TTL, and closes cleanly;
 *   <li>{@code write-until-killed}: prints {@code opening} as it opens the engine, writes
 *       self-checking values ({@link #value}) without end, printing {@code ready} once thousands
 *       are written, then {@code written N} every thousand;
 *   <li>{@code hold}: writes one entry, prints {@code ready}, and closes once its standard input
 *       ends.
 * </ul>
 */
final class ChildProcess {

  static final String CACHE = "c";
  static final Duration SHORT_TTL = Duration.ofMillis(1000);
  static final Duration TINY_TTL = Duration.ofMillis(200);

  private ChildProcess() {}

  public static void main(String[] args) throws IOException {
    CacheConfig config = config(args[1]);
    switch (args[0]) {
      case "write" -> {
        try (CacheEngine engine = EngineManager.getDefault().create(config)) {
          long writtenAt = writeEntries(engine);
          System.out.println("written-at " + writtenAt + " " + System.currentTimeMillis());
        }
        System.out.println("closed");
      }
      case "write-until-killed" -> writeUntilKilled(config);
      case "hold" -> {
        try (CacheEngine engine = EngineManager.getDefault().create(config)) {
          engine.cache(CACHE, String.class, String.class).put("held", "by the child");
          System.out.println("ready");
          try (InputStream in = System.in) {
            while (in.read() >= 0) {
              // until the parent closes our standard input
            }
          }
        }
        System.out.println("closed");
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  static CacheConfig config(String folder) {
    return CacheConfig.builder().engine("ehcache").set(EhcacheSettings.FOLDER, folder).nullValues(true).build();
  }

  /** Entries of several kinds; returns the time, in wall-clock milliseconds, before the TTLs. */
  static long writeEntries(CacheEngine engine) {
    Cache<String, String> strings = engine.cache(CACHE, String.class, String.class);
    strings.put("forever", "value");
    strings.put("null", null);
    engine.cache("orders", Long.class, EhcacheEngineTest.Order.class)
        .put(7L, new EhcacheEngineTest.Order(7, "tea", List.of(1, 2)));
    long writtenAt = System.currentTimeMillis();
    strings.put("short", "value", SHORT_TTL);
    strings.put("tiny", "value", TINY_TTL);
    return writtenAt;
  }

  private static void writeUntilKilled(CacheConfig config) {
    System.out.println("opening");
    CacheEngine engine = EngineManager.getDefault().create(config);
    Cache<String, String> cache = engine.cache(CACHE, String.class, String.class);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (long i = 0; ; i++) {
      String key = "k" + (i % 2_000);
      if (i % 10 == 0) {
        Map<String, String> batch = new LinkedHashMap<>();
        for (int j = 0; j < 20; j++) {
          String batchKey = "b" + random.nextInt(2_000);
          batch.put(batchKey, value(batchKey, random.nextInt(1, 8_192)));
        }
        cache.putAll(batch);
      } else {
        cache.put(key, value(key, random.nextInt(1, 8_192)));
      }
      if (i == 5_000) {
        System.out.println("ready");
      } else if (i > 5_000 && i % 1_000 == 0) {
        System.out.println("written " + i);
      }
    }
  }

  /** {@code key|payload|crc}: a value that shows whether it was read back whole. */
  static String value(String key, int length) {
    String payload = Long.toString(ThreadLocalRandom.current().nextLong(), 36).repeat(length / 8 + 1)
        .substring(0, length);
    return key + "|" + payload + "|" + crc(key + "|" + payload);
  }

  /** Whether {@code value} is one {@link #value} wrote for {@code key}, whole. */
  static boolean isWhole(String key, String value) {
    int last = value.lastIndexOf('|');
    return last > 0 && value.startsWith(key + "|")
        && value.substring(last + 1).equals(crc(value.substring(0, last)));
  }

  private static String crc(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return Long.toHexString(crc.getValue());
  }
}
