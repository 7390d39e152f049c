package io.ucache.sqlite;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM for {@link SqliteTwoProcessesTest}: on the folder {@code args[0]}, once told
 * {@code go}, writes {@code 1, 2, 3...} to the key {@code seq} of the cache {@code feed} for
 * {@code args[1]} (a duration), printing {@code ack <i> <nanoTime>} as each put returns, then
 * {@code done <writes>}.
 */
public final class SequenceWriterProcess {

  private SequenceWriterProcess() {}

  public static void main(String[] args) throws Exception {
    Duration length = Duration.parse(args[1]);
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("sqlite").set(SqliteSettings.FOLDER, Path.of(args[0]).toString()).build())) {
      Cache<String, String> feed = engine.cache("feed", String.class, String.class);
      System.out.println("ready");
      if (!"go".equals(new java.io.BufferedReader(new java.io.InputStreamReader(System.in))
          .readLine())) {
        return;
      }
      long end = System.nanoTime() + length.toNanos();
      long i = 0;
      StringBuilder acks = new StringBuilder();
      while (System.nanoTime() - end < 0) {
        feed.put("seq", Long.toString(++i));
        acks.append("ack ").append(i).append(' ').append(System.nanoTime()).append('\n');
        if (acks.length() > 8192) {
          System.out.print(acks);
          acks.setLength(0);
        }
      }
      System.out.print(acks);
      System.out.println("done " + i);
    }
  }
}
