package io.ucache.examples;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.context.CacheContext;
import io.ucache.context.EngineContext;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link CacheContext}: one configuration, opened for each batch of work. Every open starts a
 * fresh engine, and every block closes its own.
 */
public final class ReusableContextExample {
  private ReusableContextExample() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Returns, per batch, how many words were already cached when the batch started. */
  public static List<Integer> run(PrintStream out) {
    List<Integer> cachedAtStart = new ArrayList<>();
    // [reusable]
    CacheContext wordLengths = CacheContext.of(CacheConfig.builder().maxSize(10_000).build());
    for (List<String> batch : List.of(List.of("alpha", "beta", "alpha"), List.of("beta", "gamma"))) {
      try (EngineContext ctx = wordLengths.open()) {
        Cache<String, Integer> lengths = ctx.cache("lengths", String.class, Integer.class);
        cachedAtStart.add(lengths.asMap().size()); // a fresh engine: always 0
        for (String word : batch) {
          lengths.get(word, String::length);
        }
        out.printf("  batch %s: %d distinct words cached, %d hits%n", batch,
            lengths.asMap().size(), lengths.stats().hitCount());
      }
    }
    // [reusable]
    return cachedAtStart;
  }
}
