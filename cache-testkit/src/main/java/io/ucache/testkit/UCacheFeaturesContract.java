package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.annotation.CacheKey;
import io.ucache.annotation.CallCondition;
import io.ucache.annotation.ResultCondition;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.annotation.UCachePut;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * How annotated methods update a cache, on a real engine, as a JUnit 5 class an engine's test
 * extends (as it extends {@link UCacheContract}): {@link UCachePut} replaces what a
 * {@link UCache} method of the same cache reads; {@code conditionClass} and {@code unlessClass}
 * decide per call whether the cache is used and whether a result is kept;
 * {@link UCacheEvict} evicts several caches, and before the method runs with
 * {@code beforeInvocation}; a bulk method ({@code @UCache(bulk = true)}) is cached id by id,
 * running once for the ids that missed; Reactor {@code Mono} and {@code Flux} results cache what
 * they emit; tags invalidate groups of entries. Attributes that contradict each other are
 * refused naming the method.
 *
 * <p>Each test proxies a small service (declared here, counting its calls) through
 * {@link #proxy}: a JDK proxy of a {@link UCacheInterceptor} by default; an integration (the
 * Spring advisor) overrides it to run the same tests through itself. The services use fixed cache
 * names: an engine whose caches live outside the JVM must return a fresh namespace or folder from
 * every {@link #baseConfig()} call.
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 * <b>Nulls:</b> the hooks must not return {@code null}.
 */
public abstract class UCacheFeaturesContract {

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private final Map<CacheEngine, UCacheInterceptor> interceptors = new ConcurrentHashMap<>();

  /** For subclasses. */
  protected UCacheFeaturesContract() {}

  /**
   * A new builder for the engine under test; a fresh folder or namespace each call where engines
   * share one. Its {@code null-values} must be left at the default (off).
   */
  protected abstract CacheConfig.Builder baseConfig();

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  /**
   * A proxy of {@code target} whose annotations are applied over {@code engine}, by one
   * interceptor per engine (proxies over one engine know each other's methods): by default a JDK
   * proxy of {@link UCacheInterceptor#using(CacheEngine)}, closed after the test (register what an
   * override opens with {@link #closeAfterTest}).
   */
  protected <T> T proxy(CacheEngine engine, Class<T> type, T target) {
    return interceptors.computeIfAbsent(engine, e -> {
      UCacheInterceptor interceptor = UCacheInterceptor.using(e);
      closeAfterTest(interceptor);
      return interceptor;
    }).proxy(type, target);
  }

  /** Closes {@code resource} when the test ends, before the engines it may use. */
  protected final void closeAfterTest(AutoCloseable resource) {
    resources.add(resource);
  }

  @AfterEach
  final void closeResources() throws Exception {
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    resources.clear();
    for (AutoCloseable resource : reversed) {
      resource.close();
    }
  }

  private CacheEngine engine(UnaryOperator<CacheConfig.Builder> customize) {
    CacheEngine engine = manager().create(customize.apply(baseConfig()).build());
    closeAfterTest(engine);
    return engine;
  }

  private <T> T proxied(Class<T> type, T target) {
    return proxy(engine(config -> config), type, target);
  }

  // --- @UCachePut

  @Test
  void put_replacesTheEntryTheReaderCachedForTheSameKey() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);

    assertThat(prices.price("apple")).isEqualTo("price:apple:1");
    assertThat(prices.update("apple", "2.10")).isEqualTo("2.10");

    assertThat(prices.price("apple")).as("the put value, without running the reader")
        .isEqualTo("2.10");
    assertThat(service.reads).hasValue(1);
  }

  @Test
  void put_beforeAnyRead_theReaderFindsIt() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);

    prices.update("pear", "0.99");

    assertThat(prices.price("pear")).isEqualTo("0.99");
    assertThat(service.reads).as("reader runs").hasValue(0);
  }

  @Test
  void put_runsTheMethodOnEveryCall() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);

    prices.update("apple", "1");
    prices.update("apple", "1");

    assertThat(service.writes).hasValue(2);
  }

  @Test
  void put_nullResultWithoutNullValues_evictsTheKey() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);
    prices.price("apple");

    assertThat(prices.update("apple", null)).isNull();

    assertThat(prices.price("apple")).as("read again: the old value went")
        .isEqualTo("price:apple:2");
  }

  @Test
  void put_methodThrows_theEntryStays() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);
    prices.price("apple");

    assertThatThrownBy(() -> prices.update("apple", "fail"))
        .isInstanceOf(IllegalStateException.class).hasMessage("update failed");

    assertThat(prices.price("apple")).isEqualTo("price:apple:1");
  }

  @Test
  void put_unlessClassRejectsTheResult_theEntryStaysAndTheCallerGetsTheResult() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);
    prices.price("apple");

    assertThat(prices.update("apple", "draft:3")).isEqualTo("draft:3");

    assertThat(prices.price("apple")).isEqualTo("price:apple:1");
  }

  @Test
  void put_conditionClassFalse_nothingWritten() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);
    prices.price("apple");

    assertThat(prices.update("", "x")).isEqualTo("x");
    assertThat(prices.update("apple", "4")).isEqualTo("4");
    assertThat(service.writes).hasValue(2);

    assertThat(prices.price("")).as("the empty sku was not written").isEqualTo("price::2");
    assertThat(prices.price("apple")).isEqualTo("4");
  }

  @Test
  void put_optionalAndFutureResults_storeTheValueTheyHold() throws Exception {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);

    assertThat(prices.updateOptional("plum", "5")).contains("5");
    CompletableFuture<String> future = prices.updateLater("fig", "6");
    assertThat(future.get(30, TimeUnit.SECONDS)).isEqualTo("6");

    assertThat(prices.price("plum")).isEqualTo("5");
    assertThat(awaitValue(() -> prices.price("fig"), "6")).isEqualTo("6");
    assertThat(service.reads).as("reader runs").hasValue(0);
  }

  @Test
  void put_onTheCacheOfAnotherProxyOverTheSameEngine_theReaderSeesIt() {
    CacheEngine engine = engine(config -> config);
    Catalog service = new Catalog();
    Prices reader = proxy(engine, Prices.class, service);
    PriceWriter writer = proxy(engine, PriceWriter.class, (sku, price) -> price);

    reader.price("kiwi");
    writer.set("kiwi", "7");

    assertThat(reader.price("kiwi")).isEqualTo("7");
    assertThat(service.reads).hasValue(1);
  }

  @Test
  void put_fromAnInterceptorThatKnowsNoReader_theReaderFindsIt() {
    CacheEngine engine = engine(config -> config);
    UCacheInterceptor writers = UCacheInterceptor.using(engine);
    closeAfterTest(writers);
    PriceWriter writer = writers.proxy(PriceWriter.class, (sku, price) -> price);
    writer.set("lime", "8");

    Catalog service = new Catalog();
    assertThat(proxy(engine, Prices.class, service).price("lime")).isEqualTo("8");
    assertThat(service.reads).hasValue(0);
  }

  @Test
  void put_andUCacheOnOneMethod_refusedNamingTheMethod() {
    // Parsed when the proxy is made, or (Spring) at the first call.
    assertThatThrownBy(() -> proxied(Contradictions.class, new Contradictions() {}).both("k"))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("both")
        .hasMessageContaining("@UCache and @UCachePut on one method");
  }

  @Test
  void put_returningAnotherTypeThanTheReaders_refusedNamingBoth() {
    CacheEngine engine = engine(config -> config);
    proxy(engine, Prices.class, new Catalog()).price("a");
    assertThatThrownBy(() -> proxy(engine, WrongType.class, (sku, price) -> 1).set("a", "b"))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("WrongType.set")
        .hasMessageContaining("must return the type");
  }

  // --- conditions

  @Test
  void cache_conditionClassFalse_methodRunsUncached() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);

    prices.stock(5);
    prices.stock(5); // a hit: the method's hit path is set up now
    prices.stock(-1);
    prices.stock(-1);

    assertThat(service.stockReads).as("1 cached + 2 uncached").hasValue(3);
  }

  @Test
  void cache_unlessClassTrue_resultReturnedNotCached() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);

    assertThat(prices.search("nothing")).isEmpty();
    assertThat(prices.search("nothing")).isEmpty();
    assertThat(prices.search("apple")).isEqualTo("found:apple");
    assertThat(prices.search("apple")).isEqualTo("found:apple");

    assertThat(service.searches).as("2 for the empty result, 1 cached").hasValue(3);
  }

  @Test
  void cache_unlessClassWithSingleFlight_concurrentCallersAllGetTheUncachedResult()
      throws Exception {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);
    List<CompletableFuture<String>> calls = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      calls.add(CompletableFuture.supplyAsync(() -> prices.search("nothing")));
    }
    for (CompletableFuture<String> call : calls) {
      assertThat(call.get(30, TimeUnit.SECONDS)).as("each caller, sharing a load or not")
          .isEmpty();
    }
    int before = service.searches.get();
    prices.search("nothing");
    assertThat(service.searches).as("not cached: the method runs again").hasValue(before + 1);
  }

  // --- @UCacheEvict

  @Test
  void evict_severalCaches_eachLosesTheKey() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);
    prices.price("apple");
    prices.stockOf("apple");

    prices.discontinue("apple");

    prices.price("apple");
    prices.stockOf("apple");
    assertThat(service.reads).as("price read twice").hasValue(2);
    assertThat(service.stockReads).as("stock read twice").hasValue(2);
  }

  @Test
  void evict_beforeInvocation_evictsEvenWhenTheMethodThrows() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);
    prices.price("apple");
    prices.price("pear");

    assertThatThrownBy(() -> prices.recall("apple", true))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> prices.discontinueOrFail("pear"))
        .isInstanceOf(IllegalStateException.class);

    assertThat(prices.price("apple")).as("evicted before the method threw")
        .isEqualTo("price:apple:3");
    assertThat(prices.price("pear")).as("after invocation: the throw kept it")
        .isEqualTo("price:pear:2");
  }

  @Test
  void evict_beforeInvocation_theMethodSeesTheEntryGone() {
    Catalog service = new Catalog();
    Prices[] self = new Prices[1];
    service.onRecall = sku -> service.seenDuringRecall.add(self[0].price(sku));
    self[0] = proxied(Prices.class, service);
    self[0].price("apple");

    self[0].recall("apple", false);

    assertThat(service.seenDuringRecall).as("read inside the method: loaded again")
        .containsExactly("price:apple:2");
  }

  @Test
  void evict_conditionClassFalse_nothingEvicted() {
    Catalog service = new Catalog();
    Prices prices = proxied(Prices.class, service);
    prices.price("apple");

    prices.discontinue("");
    prices.price("apple");

    assertThat(service.reads).hasValue(1);
  }

  @Test
  void evict_expressionThroughAPlainProxy_refusedNamingTheMethodAndTheClassAttribute() {
    if (!plainProxies()) {
      return;
    }
    assertThatThrownBy(() -> proxied(Expressions.class, id -> "x").byId(1))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("Expressions.byId")
        .hasMessageContaining("conditionClass");
  }

  // --- bulk methods

  @Test
  void bulk_runsTheMethodOnceWithTheIdsThatMissedOnly() {
    Directory service = new Directory();
    People people = proxied(People.class, service);
    people.person(1L);
    people.person(2L);

    assertThat(people.people(List.of(1L, 2L, 3L, 4L))).containsExactly(
        entry(1L, "person-1"), entry(2L, "person-2"), entry(3L, "person-3"),
        entry(4L, "person-4"));
    assertThat(people.people(List.of(4L, 3L, 2L, 1L))).hasSize(4);

    assertThat(service.bulkCalls).as("one call, for the two ids that missed")
        .containsExactly(List.of(3L, 4L));
  }

  @Test
  void bulk_sharesEntriesWithTheMethodTakingOneId() {
    Directory service = new Directory();
    People people = proxied(People.class, service);

    people.people(List.of(5L, 6L));

    assertThat(people.person(5L)).isEqualTo("person-5");
    assertThat(service.singleCalls).as("the one-id method did not run").hasValue(0);
  }

  @Test
  void bulk_idsTheMethodLeavesOut_areNotCachedAndAbsentFromTheResult() {
    Directory service = new Directory();
    People people = proxied(People.class, service);

    assertThat(people.people(List.of(1L, 1000L))).containsOnlyKeys(1L);
    assertThat(people.people(List.of(1L, 1000L))).containsOnlyKeys(1L);

    assertThat(service.bulkCalls).containsExactly(List.of(1L, 1000L), List.of(1000L));
  }

  @Test
  void bulk_repeatedIds_askedOnce() {
    Directory service = new Directory();
    People people = proxied(People.class, service);

    assertThat(people.people(List.of(7L, 7L, 8L))).containsOnlyKeys(7L, 8L);

    assertThat(service.bulkCalls).containsExactly(List.of(7L, 8L));
  }

  @Test
  void bulk_listOfValues_inTheOrderOfTheIdsWithNullForNone() {
    Directory service = new Directory();
    People people = proxied(People.class, service);

    assertThat(people.inOrder(List.of(3L, 1000L, 2L))).containsExactly("person-3", null,
        "person-2");
    assertThat(people.inOrder(List.of(2L, 3L))).containsExactly("person-2", "person-3");

    assertThat(service.bulkCalls).containsExactly(List.of(3L, 1000L, 2L));
  }

  @Test
  void bulk_listOfTheWrongSize_failsNamingTheMethod() {
    People people = proxied(People.class, new Directory());

    assertThatThrownBy(() -> people.inOrder(List.of(-1L)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inOrder")
        .hasMessageContaining("returned 0 values for 1 ids");
  }

  @Test
  void bulk_setOfIds_theMethodGetsASetOfTheMissedIds() {
    Directory service = new Directory();
    People people = proxied(People.class, service);
    people.person(1L);

    assertThat(people.ofSet(new java.util.TreeSet<>(List.of(1L, 2L)))).containsOnlyKeys(1L, 2L);

    assertThat(service.bulkCalls).containsExactly(List.of(2L));
  }

  @Test
  void bulk_concurrentCallsWithOverlappingIds_eachIdLoadedOnce() throws Exception {
    Directory service = new Directory();
    People people = proxied(People.class, service);
    service.hold = new CountDownLatch(1);
    CompletableFuture<Map<Long, String>> first =
        CompletableFuture.supplyAsync(() -> people.people(List.of(1L, 2L)));
    await(() -> service.bulkCalls.size() == 1);
    CompletableFuture<Map<Long, String>> second =
        CompletableFuture.supplyAsync(() -> people.people(List.of(2L, 3L)));
    // The second call loads 3 alone (2 is the first call's, which it waits for).
    await(() -> service.bulkCalls.size() == 2);
    service.hold.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).containsOnlyKeys(1L, 2L);
    assertThat(second.get(30, TimeUnit.SECONDS)).containsOnlyKeys(2L, 3L);
    assertThat(service.bulkCalls).containsExactly(List.of(1L, 2L), List.of(3L));
  }

  @Test
  void bulk_withKeyGeneratorUnlessOrAnotherShape_refusedNamingTheMethod() {
    assertThatThrownBy(() -> proxied(BadBulk.class, new BadBulk() {}).byArray(new Long[0]))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("BadBulk.byArray")
        .hasMessageContaining("Collection, List or Set");
  }

  // --- reactive results

  @Test
  void mono_theEmittedValueIsCached_andNothingRunsUntilSubscribed() {
    Streams service = new Streams();
    Quotes quotes = proxied(Quotes.class, service);

    Mono<String> first = quotes.quote("ACME");
    assertThat(service.subscriptions).as("not subscribed yet").hasValue(0);
    StepVerifier.create(first).expectNext("quote:ACME:1").verifyComplete();
    StepVerifier.create(quotes.quote("ACME")).expectNext("quote:ACME:1").verifyComplete();

    assertThat(service.subscriptions).hasValue(1);
  }

  @Test
  void mono_emptyAndErrors_areNotCached() {
    Streams service = new Streams();
    Quotes quotes = proxied(Quotes.class, service);

    StepVerifier.create(quotes.quote("none")).verifyComplete();
    StepVerifier.create(quotes.quote("none")).verifyComplete();
    StepVerifier.create(quotes.quote("fail")).verifyErrorMessage("quote source down");
    StepVerifier.create(quotes.quote("fail")).verifyErrorMessage("quote source down");

    assertThat(service.subscriptions).hasValue(4);
  }

  @Test
  void mono_subscribersDuringALoad_shareIt() {
    Streams service = new Streams();
    Quotes quotes = proxied(Quotes.class, service);
    Sinks.One<String> source = Sinks.one();
    service.pending = source.asMono();

    CompletableFuture<String> first = quotes.quote("slow").toFuture();
    await(() -> service.subscriptions.get() == 1); // the load runs, held by the source
    CompletableFuture<String> second = quotes.quote("slow").toFuture();
    source.tryEmitValue("slow quote");

    assertThat(first.join()).isEqualTo("slow quote");
    assertThat(second.join()).isEqualTo("slow quote");
    assertThat(service.subscriptions).as("one load for both subscribers").hasValue(1);
  }

  @Test
  void flux_theEmittedValuesAreCachedAsAListAndReplayed() {
    Streams service = new Streams();
    Quotes quotes = proxied(Quotes.class, service);

    StepVerifier.create(quotes.history("ACME")).expectNext("ACME-1", "ACME-2", "ACME-3")
        .verifyComplete();
    StepVerifier.create(quotes.history("ACME")).expectNext("ACME-1", "ACME-2", "ACME-3")
        .verifyComplete();

    assertThat(service.subscriptions).hasValue(1);
  }

  // --- tags

  @Test
  void tags_evictByTag_invalidatesEveryEntryOfTheTagInEveryCache() {
    Ledger service = new Ledger();
    Tenants tenants = proxied(Tenants.class, service);
    tenants.order("acme", 1);
    tenants.invoice("acme", 1);
    tenants.order("globex", 1);

    tenants.offboard("acme");

    tenants.order("acme", 1);
    tenants.invoice("acme", 1);
    tenants.order("globex", 1);
    assertThat(service.runs).as("acme's order and invoice again; globex's cached")
        .containsExactly("order:acme:1", "invoice:acme:1", "order:globex:1", "order:acme:1",
            "invoice:acme:1");
  }

  @Test
  void tags_constantTag_andTheEngineMethod_invalidate() {
    CacheEngine engine = engine(config -> config);
    Ledger service = new Ledger();
    Tenants tenants = proxy(engine, Tenants.class, service);
    tenants.order("acme", 1);
    tenants.invoice("acme", 2);

    tenants.reindexOrders();
    tenants.order("acme", 1);
    tenants.invoice("acme", 2);
    engine.invalidateTag("tenant:acme");
    tenants.invoice("acme", 2);

    assertThat(service.runs).containsExactly("order:acme:1", "invoice:acme:2", "order:acme:1",
        "invoice:acme:2");
  }

  @Test
  void tags_evictAndPutByKeyOnATaggedCache_reachTheTaggedEntry() {
    Ledger service = new Ledger();
    Tenants tenants = proxied(Tenants.class, service);
    tenants.order("acme", 1);
    tenants.order("acme", 2);

    tenants.cancel("acme", 1);
    assertThat(tenants.amend("acme", 2)).isEqualTo("amended:acme:2");

    tenants.order("acme", 1);
    assertThat(tenants.order("acme", 2)).isEqualTo("amended:acme:2");
    assertThat(service.runs).containsExactly("order:acme:1", "order:acme:2", "order:acme:1");
  }

  @Test
  void tags_withoutTtlOrNamingNoKeyParameter_refusedNamingTheMethod() {
    assertThatThrownBy(() -> proxied(BadTags.class, new BadTags() {}).untimed("a"))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("BadTags.untimed")
        .hasMessageContaining("tags need a ttl");
    assertThatThrownBy(() -> proxied(BadTags2.class, new BadTags2() {}).unknown("a"))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("BadTags2.unknown")
        .hasMessageContaining("{region}");
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not reached within 30 s");
      }
      Thread.onSpinWait();
    }
  }

  /** Whether {@link #proxy} is the plain interceptor's, which compiles no expressions. */
  protected boolean plainProxies() {
    return true;
  }

  private static String awaitValue(java.util.function.Supplier<String> read, String expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    String value = read.get();
    while (!expected.equals(value) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      value = read.get();
    }
    return value;
  }

  // --- the services

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
