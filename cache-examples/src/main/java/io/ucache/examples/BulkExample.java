package io.ucache.examples;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A bulk method cached entry by entry: the method runs only for the ids that missed, and shares
 * its entries with the method that reads one id.
 */
public final class BulkExample {
  private BulkExample() {}

  // [bulk]
  public interface Users {
    @UCache(name = "users")
    String user(Long id);

    /** Cached id by id, in the entries user(id) reads; runs only for the ids that missed. */
    @UCache(name = "users", bulk = true)
    Map<Long, String> users(Collection<Long> ids);
  }
  // [bulk]

  /** A user table that records the ids of each query. */
  static final class UserTable implements Users {
    final List<List<Long>> queries = new CopyOnWriteArrayList<>();

    @Override
    public String user(Long id) {
      queries.add(List.of(id));
      return "user-" + id;
    }

    @Override
    public Map<Long, String> users(Collection<Long> ids) {
      queries.add(List.copyOf(ids));
      return ids.stream().collect(Collectors.toMap(id -> id, id -> "user-" + id));
    }
  }

  /** The queries the table ran, and the result of the second bulk call. */
  public record Result(List<List<Long>> queries, Map<Long, String> second) {}

  public static void main(String[] args) {
    run(System.out);
  }

  public static Result run(PrintStream out) {
    UserTable table = new UserTable();
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.defaults());
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      // [bulk-calls]
      Users users = ucache.proxy(Users.class, table);
      users.user(1L);                                   // queries [1]
      users.users(List.of(1L, 2L, 3L));                 // queries [2, 3] only
      Map<Long, String> all = users.users(List.of(1L, 2L, 3L, 4L)); // queries [4] only
      // [bulk-calls]
      out.printf("  the table ran %s; the last call returned %d users%n", table.queries,
          all.size());
      return new Result(List.copyOf(table.queries), all);
    }
  }
}
