package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.CacheStats;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.annotation.UCachePut;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.spi.AbstractEngine;
import io.ucache.testkit.UCacheFeatureServices.BadBulk;
import io.ucache.testkit.UCacheFeatureServices.BadTags2;
import io.ucache.testkit.UCacheFeatureServices.BadTags;
import io.ucache.testkit.UCacheFeatureServices.Catalog;
import io.ucache.testkit.UCacheFeatureServices.Contradictions;
import io.ucache.testkit.UCacheFeatureServices.Directory;
import io.ucache.testkit.UCacheFeatureServices.Expressions;
import io.ucache.testkit.UCacheFeatureServices.Ledger;
import io.ucache.testkit.UCacheFeatureServices.People;
import io.ucache.testkit.UCacheFeatureServices.PriceWriter;
import io.ucache.testkit.UCacheFeatureServices.Prices;
import io.ucache.testkit.UCacheFeatureServices.Quotes;
import io.ucache.testkit.UCacheFeatureServices.Streams;
import io.ucache.testkit.UCacheFeatureServices.Tenants;
import io.ucache.testkit.UCacheFeatureServices.WrongType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
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

  // --- statistics

  @Test
  void stats_aSingleFlightMissCountsOnce_andAHitOnce() {
    CacheEngine engine = engine(config -> config);
    Catalog service = new Catalog();
    Prices prices = proxy(engine, Prices.class, service);

    prices.price("apple");
    prices.price("apple");

    CacheStats stats = ((AbstractEngine) engine).openCache("prices").stats();
    assertThat(stats.missCount()).as("the miss, counted once").isEqualTo(1);
    assertThat(stats.hitCount()).isEqualTo(1);
    assertThat(stats.loadSuccessCount()).isEqualTo(1);
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
}
