package io.ucache.testkit;

import io.ucache.annotation.CacheKey;
import io.ucache.annotation.CallCondition;
import io.ucache.annotation.ResultCondition;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.annotation.UCachePut;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The annotated services {@link UCacheFeaturesContract} proxies: interfaces public (for JDK
 * proxies and Spring), implementations counting what runs. Thread-safe where a test calls them
 * from several threads (counters and lists are concurrent).
 */
public final class UCacheFeatureServices {

  private UCacheFeatureServices() {}

  /** Prices, stock and search, with their writers. */
  public interface Prices {
    @UCache(name = "prices")
    String price(String sku);

    @UCachePut(name = "prices", conditionClass = NonEmptySku.class, unlessClass = Draft.class)
    @Nullable String update(@CacheKey String sku, @Nullable String price);

    @UCachePut(name = "prices")
    Optional<String> updateOptional(@CacheKey String sku, String price);

    @UCachePut(name = "prices")
    CompletableFuture<String> updateLater(@CacheKey String sku, String price);

    @UCache(name = "stock", conditionClass = PositiveId.class)
    String stock(int id);

    @UCache(name = "stock-by-sku")
    String stockOf(String sku);

    @UCache(name = "search", unlessClass = EmptyResult.class)
    String search(String query);

    @UCacheEvict(name = {"prices", "stock-by-sku"}, conditionClass = NonEmptySku.class)
    void discontinue(String sku);

    @UCacheEvict(name = "prices")
    void discontinueOrFail(String sku);

    @UCacheEvict(name = "prices", beforeInvocation = true)
    void recall(@CacheKey String sku, boolean fail);
  }

  /** Writes the prices cache from another proxy. */
  public interface PriceWriter {
    @UCachePut(name = "prices")
    String set(@CacheKey String sku, String price);
  }

  /** Writes the prices cache with another type. */
  public interface WrongType {
    @UCachePut(name = "prices")
    Integer set(@CacheKey String sku, String price);
  }

  /** Both annotations on one method. */
  public interface Contradictions {
    @UCache(name = "both")
    @UCachePut(name = "both")
    default String both(String key) {
      return key;
    }
  }

  /** An expression attribute, which only the Spring advisor evaluates. */
  public interface Expressions {
    @UCache(name = "by-id", condition = "#id > 0")
    String byId(int id);
  }

  /** People by id, one at a time and in bulk, sharing one cache. */
  public interface People {
    @UCache(name = "people")
    String person(Long id);

    @UCache(name = "people", bulk = true)
    Map<Long, String> people(Collection<Long> ids);

    @UCache(name = "people", bulk = true)
    List<@Nullable String> inOrder(List<Long> ids);

    @UCache(name = "people", bulk = true)
    Map<Long, String> ofSet(Set<Long> ids);
  }

  /** Quotes as Reactor publishers. */
  public interface Quotes {
    @UCache(name = "quotes")
    Mono<String> quote(String symbol);

    @UCache(name = "histories")
    Flux<String> history(String symbol);
  }

  /** Counts the subscriptions to what its methods return. */
  static final class Streams implements Quotes {
    final AtomicInteger subscriptions = new AtomicInteger();
    volatile @Nullable Mono<String> pending;

    @Override
    public Mono<String> quote(String symbol) {
      return Mono.defer(() -> {
        int run = subscriptions.incrementAndGet();
        Mono<String> slow = pending;
        return switch (symbol) {
          case "none" -> Mono.empty();
          case "fail" -> Mono.error(new IllegalStateException("quote source down"));
          case "slow" -> java.util.Objects.requireNonNull(slow);
          default -> Mono.just("quote:" + symbol + ":" + run);
        };
      });
    }

    @Override
    public Flux<String> history(String symbol) {
      return Flux.defer(() -> {
        subscriptions.incrementAndGet();
        return Flux.just(symbol + "-1", symbol + "-2", symbol + "-3");
      });
    }
  }

  /** Orders and invoices, tagged by tenant. */
  public interface Tenants {
    @UCache(name = "orders", ttl = "10m", tags = {"tenant:{tenant}", "orders"})
    String order(String tenant, long id);

    @UCache(name = "invoices", ttl = "10m", tags = "tenant:{0}")
    String invoice(String tenant, long id);

    @UCacheEvict(tags = "tenant:{0}")
    void offboard(String tenant);

    @UCacheEvict(tags = "orders")
    void reindexOrders();

    @UCacheEvict(name = "orders")
    void cancel(String tenant, long id);

    @UCachePut(name = "orders")
    String amend(String tenant, long id);
  }

  /** Records each run of its cached methods. */
  static final class Ledger implements Tenants {
    final List<String> runs = new CopyOnWriteArrayList<>();

    @Override
    public String order(String tenant, long id) {
      runs.add("order:" + tenant + ":" + id);
      return "order:" + tenant + ":" + id;
    }

    @Override
    public String invoice(String tenant, long id) {
      runs.add("invoice:" + tenant + ":" + id);
      return "invoice:" + tenant + ":" + id;
    }

    @Override
    public void offboard(String tenant) {}

    @Override
    public void reindexOrders() {}

    @Override
    public void cancel(String tenant, long id) {}

    @Override
    public String amend(String tenant, long id) {
      return "amended:" + tenant + ":" + id;
    }
  }

  /** Tags without a ttl. */
  public interface BadTags {
    @UCache(name = "untimed", tags = "t")
    default String untimed(String key) {
      return key;
    }
  }

  /** A tag naming no key parameter. */
  public interface BadTags2 {
    @UCache(name = "unknown", ttl = "1m", tags = "region:{region}")
    default String unknown(String key) {
      return key;
    }
  }

  /** A bulk method over an array, which is refused. */
  public interface BadBulk {
    @UCache(name = "bad-bulk", bulk = true)
    default Map<Long, String> byArray(Long[] ids) {
      return Map.of();
    }
  }

  /** People 1 to 999 exist; counts its calls and records each bulk call's ids. */
  static final class Directory implements People {
    final AtomicInteger singleCalls = new AtomicInteger();
    final List<List<Long>> bulkCalls = new CopyOnWriteArrayList<>();
    volatile @Nullable CountDownLatch hold;

    @Override
    public String person(Long id) {
      singleCalls.incrementAndGet();
      return "person-" + id;
    }

    @Override
    public Map<Long, String> people(Collection<Long> ids) {
      bulkCalls.add(List.copyOf(ids));
      CountDownLatch latch = hold;
      if (latch != null && bulkCalls.size() == 1) {
        try {
          latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Map<Long, String> found = new java.util.LinkedHashMap<>();
      ids.stream().filter(id -> id < 1000).forEach(id -> found.put(id, "person-" + id));
      return found;
    }

    @Override
    public List<@Nullable String> inOrder(List<Long> ids) {
      bulkCalls.add(List.copyOf(ids));
      if (ids.contains(-1L)) {
        return List.of();
      }
      List<@Nullable String> values = new ArrayList<>();
      ids.forEach(id -> values.add(id < 1000 ? "person-" + id : null));
      return values;
    }

    @Override
    public Map<Long, String> ofSet(Set<Long> ids) {
      return people(ids);
    }
  }

  /** A call condition: a sku that is not empty. */
  public static final class NonEmptySku implements CallCondition {
    @Override
    public boolean test(Method method, @Nullable Object[] args) {
      return args[0] instanceof String sku && !sku.isEmpty();
    }
  }

  /** A call condition: a positive id. */
  public static final class PositiveId implements CallCondition {
    @Override
    public boolean test(Method method, @Nullable Object[] args) {
      return (Integer) args[0] > 0;
    }
  }

  /** Keeps drafts out of the cache. */
  public static final class Draft implements ResultCondition {
    @Override
    public boolean test(Method method, @Nullable Object[] args, @Nullable Object result) {
      return result instanceof String price && price.startsWith("draft:");
    }
  }

  /** Keeps empty results out of the cache. */
  public static final class EmptyResult implements ResultCondition {
    @Override
    public boolean test(Method method, @Nullable Object[] args, @Nullable Object result) {
      return result instanceof String text && text.isEmpty();
    }
  }

  /** Counts its calls. */
  static final class Catalog implements Prices {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger stockReads = new AtomicInteger();
    final AtomicInteger searches = new AtomicInteger();
    final List<String> seenDuringRecall = new CopyOnWriteArrayList<>();
    java.util.function.Consumer<String> onRecall = sku -> {};

    @Override
    public String price(String sku) {
      return "price:" + sku + ":" + reads.incrementAndGet();
    }

    @Override
    public @Nullable String update(String sku, @Nullable String price) {
      writes.incrementAndGet();
      if ("fail".equals(price)) {
        throw new IllegalStateException("update failed");
      }
      return price;
    }

    @Override
    public Optional<String> updateOptional(String sku, String price) {
      writes.incrementAndGet();
      return Optional.of(price);
    }

    @Override
    public CompletableFuture<String> updateLater(String sku, String price) {
      writes.incrementAndGet();
      return CompletableFuture.supplyAsync(() -> price);
    }

    @Override
    public String stock(int id) {
      stockReads.incrementAndGet();
      return "stock:" + id;
    }

    @Override
    public String stockOf(String sku) {
      stockReads.incrementAndGet();
      return "stock:" + sku;
    }

    @Override
    public String search(String query) {
      searches.incrementAndGet();
      return query.equals("nothing") ? "" : "found:" + query;
    }

    @Override
    public void discontinue(String sku) {}

    @Override
    public void discontinueOrFail(String sku) {
      throw new IllegalStateException("discontinue failed");
    }

    @Override
    public void recall(String sku, boolean fail) {
      onRecall.accept(sku);
      if (fail) {
        throw new IllegalStateException("recall failed");
      }
    }
  }
}
