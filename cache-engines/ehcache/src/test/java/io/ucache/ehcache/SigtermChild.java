package io.ucache.ehcache;

import io.ucache.Cache;
import io.ucache.CacheEngine;
import io.ucache.context.EngineContext;
import io.ucache.context.EngineManager;
import java.io.IOException;
import java.io.InputStream;

/**
 * The other process of {@link EhcacheSigtermTest}: {@code SigtermChild MODE FOLDER COUNT} opens
 * the ehcache engine on {@code FOLDER} ({@code manager}: with {@code EngineManager.create};
 * {@code context}: in an {@code EngineContext} block), writes {@code COUNT} entries
 * {@code sK -> value K} to cache {@link ChildProcess#CACHE}, prints {@code ready}, and waits for
 * its standard input to end, which it never does before the parent stops it with SIGTERM.
 */
final class SigtermChild {

  private SigtermChild() {}

  public static void main(String[] args) throws IOException {
    int count = Integer.parseInt(args[2]);
    switch (args[0]) {
      case "manager" -> {
        CacheEngine engine = EngineManager.getDefault().create(ChildProcess.config(args[1]));
        writeAndWait(engine, count);
      }
      case "context" -> {
        try (EngineContext context = EngineContext.open(ChildProcess.config(args[1]))) {
          writeAndWait(context.engine(), count);
        }
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }

  private static void writeAndWait(CacheEngine engine, int count) throws IOException {
    Cache<String, String> cache = engine.cache(ChildProcess.CACHE, String.class, String.class);
    for (int i = 0; i < count; i++) {
      cache.put("s" + i, "value " + i);
    }
    System.out.println("ready");
    try (InputStream in = System.in) {
      while (in.read() >= 0) {
        // until SIGTERM
      }
    }
  }
}
