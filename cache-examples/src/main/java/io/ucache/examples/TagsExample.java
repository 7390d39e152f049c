package io.ucache.examples;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Tags: entries of two caches tagged by tenant, all invalidated at once, without a scan, when the
 * tenant is offboarded.
 */
public final class TagsExample {
  private TagsExample() {}

  // [tags]
  public interface Billing {
    @UCache(name = "orders", ttl = "10m", tags = "tenant:{tenant}")
    String order(String tenant, long id);

    @UCache(name = "invoices", ttl = "10m", tags = "tenant:{0}")
    String invoice(String tenant, long id);

    /** Every order and invoice of the tenant, in every process sharing the engine. */
    @UCacheEvict(tags = "tenant:{0}")
    void offboard(String tenant);
  }
  // [tags]

  /** A billing database that records what it was asked. */
  static final class BillingDatabase implements Billing {
    final List<String> queries = new CopyOnWriteArrayList<>();

    @Override
    public String order(String tenant, long id) {
      queries.add("order " + tenant + "/" + id);
      return "order " + id;
    }

    @Override
    public String invoice(String tenant, long id) {
      queries.add("invoice " + tenant + "/" + id);
      return "invoice " + id;
    }

    @Override
    public void offboard(String tenant) {}
  }

  public static void main(String[] args) {
    run(System.out);
  }

  /** The queries the database ran. */
  public static List<String> run(PrintStream out) {
    BillingDatabase database = new BillingDatabase();
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.defaults());
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      // [tags-calls]
      Billing billing = ucache.proxy(Billing.class, database);
      billing.order("acme", 1);          // queried
      billing.invoice("acme", 7);        // queried
      billing.order("globex", 1);        // queried
      billing.offboard("acme");          // one write: acme's tag gets a new generation
      billing.order("acme", 1);          // queried again
      billing.invoice("acme", 7);        // queried again
      billing.order("globex", 1);        // still cached
      engine.invalidateTag("tenant:globex"); // the same, without an annotation
      // [tags-calls]
      out.printf("  the database ran %d queries: %s%n", database.queries.size(),
          database.queries);
      return List.copyOf(database.queries);
    }
  }
}
