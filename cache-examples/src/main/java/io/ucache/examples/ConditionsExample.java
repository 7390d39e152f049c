package io.ucache.examples;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.CallCondition;
import io.ucache.annotation.ResultCondition;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Conditions on an {@code @UCache} method, as classes (plain Java and Spring alike): a call for
 * a blank query skips the cache, and an empty result is never cached. (In a Spring application
 * the same can be written {@code condition = "!#query.isBlank()"},
 * {@code unless = "#result.isEmpty()"}.)
 */
public final class ConditionsExample {
  private ConditionsExample() {}

  // [conditions]
  public interface Search {
    @UCache(name = "search", conditionClass = NotBlank.class, unlessClass = NoHits.class)
    List<String> find(String query);
  }

  /** Made once for the method; runs before every call, hits included. */
  public static final class NotBlank implements CallCondition {
    @Override
    public boolean test(Method method, @Nullable Object[] args) {
      return args[0] instanceof String query && !query.isBlank();
    }
  }

  /** Runs after the method: true keeps the result out of the cache. */
  public static final class NoHits implements ResultCondition {
    @Override
    public boolean test(Method method, @Nullable Object[] args, @Nullable Object result) {
      return result instanceof List<?> hits && hits.isEmpty();
    }
  }
  // [conditions]

  /** An index that counts its searches. */
  static final class Index implements Search {
    final AtomicInteger searches = new AtomicInteger();

    @Override
    public List<String> find(String query) {
      searches.incrementAndGet();
      return query.startsWith("kett") ? List.of("Kettle", "Steel kettle") : List.of();
    }
  }

  /** How often the index ran for each kind of call (each query is asked twice). */
  public record Result(int blankRuns, int noHitRuns, int hitRuns) {}

  public static void main(String[] args) {
    run(System.out);
  }

  public static Result run(PrintStream out) {
    Index index = new Index();
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.defaults());
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      Search search = ucache.proxy(Search.class, index);
      int blank = twice(index, () -> search.find(" "));       // condition false: runs twice
      int noHits = twice(index, () -> search.find("zzz"));    // empty result not cached: twice
      int hits = twice(index, () -> search.find("kett"));     // cached: runs once
      out.printf("  the index ran %d time(s) for a blank query, %d for one without hits, %d for "
          + "one with hits (each asked twice)%n", blank, noHits, hits);
      return new Result(blank, noHits, hits);
    }
  }

  private static int twice(Index index, Runnable call) {
    int before = index.searches.get();
    call.run();
    call.run();
    return index.searches.get() - before;
  }
}
