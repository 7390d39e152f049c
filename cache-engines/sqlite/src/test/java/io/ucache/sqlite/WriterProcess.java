package io.ucache.sqlite;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.nio.file.Path;

/**
 * A child JVM for {@link SqliteProcessTest}: opens the folder {@code args[0]} (an absolute path)
 * and writes {@code key-<i>} = {@code value-<i>} to the cache {@code burst} for ever, printing
 * {@code ack <i>} once each put has returned, until it is killed.
 */
public final class WriterProcess {

  private WriterProcess() {}

  public static void main(String[] args) {
    CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("sqlite").set(SqliteSettings.FOLDER, Path.of(args[0]).toString()).build());
    Cache<String, String> cache = engine.cache("burst", String.class, String.class);
    System.out.println("ready");
    for (long i = 0; ; i++) {
      cache.put("key-" + i, "value-" + i);
      System.out.println("ack " + i);
    }
  }
}
