package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheKeys;
import io.ucache.Capability;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The key rule of a named cache on a real engine, as a JUnit 5 class an engine's test extends
 * (like {@link UCacheContract}): an entry's key is the cache's name and the arguments' canonical
 * text ({@link CacheKeys}), nothing of the method, so that
 * <ul>
 *   <li>the key is readable and computable: {@code CacheKeys.of(args)};</li>
 *   <li>an {@code @UCacheEvict} made by code that never proxied the reading method (another
 *       interceptor over the engine, as another process would be) removes the entry;</li>
 *   <li>renaming the class or method that reads a named cache keeps its entries;</li>
 *   <li>an argument too long for the engine's keys is hashed and cached, and one without a
 *       canonical text (a lone surrogate) makes the call run uncached, counted, never fail.</li>
 * </ul>
 *
 * <p>{@link #sharingEngine} gives a second engine over the first one's store where the engine has
 * one outside the JVM (a Redis namespace): the eviction then runs there, as it would in another
 * process. A fresh folder or namespace from every {@link #baseConfig()} call, as for
 * {@link UCacheContract}.
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 * <b>Nulls:</b> the hooks must not return {@code null}.
 */
public abstract class NamedCacheKeysContract {

  private final TestResources resources = new TestResources();

  /** For subclasses. */
  protected NamedCacheKeysContract() {}

  /** A new builder for the engine under test (a fresh folder or namespace each call). */
  protected abstract CacheConfig.Builder baseConfig();

  /**
   * A second engine over {@code first}'s store, as another process would open it (same server
   * and namespace), or {@code first} itself where a store cannot be shared (memory, a folder one
   * process locks): the default.
   */
  protected CacheEngine sharingEngine(CacheEngine first, CacheConfig firstConfig) {
    return first;
  }

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  @AfterEach
  final void closeResources() throws Exception {
    resources.closeAll();
  }


  /** Opens (and closes after the test) what the test uses. */
  protected final <T extends AutoCloseable> T closedAfter(T resource) {
    return resources.add(resource);
  }

  // ---------------------------------------------------------------------------------------------
  // Services

  /** A currency, as an enum key argument. */
  public enum Currency { EUR, USD }

  /** Reads the named caches. */
  public interface Prices {
    @UCache(name = "named-prices")
    String price(String symbol);

    @UCache(name = "named-rates")
    String rate(Currency from, Currency to);
  }

  /** The same caches after a refactoring: another interface, other method names. */
  public interface RenamedPrices {
    @UCache(name = "named-prices")
    String quote(String ticker);

    @UCache(name = "named-rates")
    String exchangeRate(Currency base, Currency quote);
  }

  /** Only evicts: what an admin service of another process has. */
  public interface PriceAdmin {
    @UCacheEvict(name = "named-prices")
    void priceChanged(String symbol);

    @UCacheEvict(name = "named-rates")
    void rateChanged(Currency from, Currency to);

    @UCacheEvict(name = "named-prices", allEntries = true)
    void pricesReset();
  }

  /** Counts the calls that reached it. */
  public static final class CountingPrices implements Prices, RenamedPrices {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String price(String symbol) {
      return symbol + "#" + calls.incrementAndGet();
    }

    @Override
    public String rate(Currency from, Currency to) {
      return from + "/" + to + "#" + calls.incrementAndGet();
    }

    @Override
    public String quote(String ticker) {
      return price(ticker);
    }

    @Override
    public String exchangeRate(Currency base, Currency quote) {
      return rate(base, quote);
    }
  }

  /** A bean argument: private fields, no record, not Serializable; equals compares both. */
  public static final class Query {
    private final String text;
    private final int page;

    public Query(String text, int page) {
      this.text = text;
      this.page = page;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Query q && q.text.equals(text) && q.page == page;
    }

    @Override
    public int hashCode() {
      return text.hashCode() * 31 + page;
    }
  }

  /** Reads a cache keyed by a bean. */
  public interface Search {
    @UCache(name = "named-search")
    String find(Query query);
  }

  /** Does nothing but return: the evictions are the point. */
  public static final class QuietAdmin implements PriceAdmin {
    @Override
    public void priceChanged(String symbol) {}

    @Override
    public void rateChanged(Currency from, Currency to) {}

    @Override
    public void pricesReset() {}
  }

  // ---------------------------------------------------------------------------------------------

  private CacheEngine engine(CacheConfig config) {
    return closedAfter(manager().create(config));
  }

  private UCacheInterceptor interceptor(CacheEngine engine) {
    return closedAfter(UCacheInterceptor.using(engine));
  }

  /** The keys of {@code name} as text: a byte engine's strings, an in-process engine's keys. */
  private static List<String> keysOf(CacheEngine engine, String name) {
    Class<?> keyType = engine.capabilities().contains(Capability.IN_PROCESS)
        ? Object.class : String.class;
    Cache<?, ?> cache = engine.cache(name, keyType, Object.class);
    try (Stream<?> keys = cache.keys()) {
      return keys.map(String::valueOf).toList();
    }
  }

  @Test
  void call_namedCache_keyIsTheArgumentsCanonicalText() {
    CacheEngine engine = engine(baseConfig().build());
    Prices prices = interceptor(engine).proxy(Prices.class, new CountingPrices());

    prices.price("ACME");
    prices.rate(Currency.EUR, Currency.USD);

    assertThat(keysOf(engine, "named-prices")).containsExactly("ACME")
        .containsExactly(CacheKeys.of("ACME"));
    assertThat(keysOf(engine, "named-rates")).containsExactly("EUR:USD")
        .containsExactly(CacheKeys.of(Currency.EUR, Currency.USD));
  }

  @Test
  void call_beanArgument_keyedByItsFields() {
    CacheEngine engine = engine(baseConfig().build());
    AtomicInteger calls = new AtomicInteger();
    Search search = interceptor(engine).proxy(Search.class,
        query -> query.text + "@" + query.page + "#" + calls.incrementAndGet());

    assertThat(search.find(new Query("red shoes", 1))).isEqualTo("red shoes@1#1");
    assertThat(search.find(new Query("red shoes", 1))).as("an equal bean")
        .isEqualTo("red shoes@1#1");
    assertThat(search.find(new Query("red shoes", 2))).isEqualTo("red shoes@2#2");

    assertThat(keysOf(engine, "named-search"))
        .containsExactlyInAnyOrder("{page=1,text=red shoes}", "{page=2,text=red shoes}");
  }

  @Test
  void evict_fromCodeThatNeverProxiedTheReader_removesTheEntry() {
    CacheConfig config = baseConfig().build();
    CacheEngine engine = engine(config);
    CountingPrices target = new CountingPrices();
    Prices prices = interceptor(engine).proxy(Prices.class, target);
    assertThat(prices.price("ACME")).isEqualTo("ACME#1");
    assertThat(prices.rate(Currency.EUR, Currency.USD)).isEqualTo("EUR/USD#2");
    assertThat(prices.price("ACME")).isEqualTo("ACME#1");

    CacheEngine other = sharingEngine(engine, config);
    if (other != engine) {
      closedAfter(other);
    }
    PriceAdmin admin = interceptor(other).proxy(PriceAdmin.class, new QuietAdmin());
    admin.priceChanged("ACME");
    admin.rateChanged(Currency.EUR, Currency.USD);

    assertThat(prices.price("ACME")).isEqualTo("ACME#3");
    assertThat(prices.rate(Currency.EUR, Currency.USD)).isEqualTo("EUR/USD#4");
    assertThat(prices.price("ACME")).isEqualTo("ACME#3");

    admin.pricesReset();
    assertThat(prices.price("ACME")).isEqualTo("ACME#5");
  }

  @Test
  void call_readerRenamed_stillHitsTheEntriesOfTheOldName() {
    CacheEngine engine = engine(baseConfig().build());
    CountingPrices target = new CountingPrices();
    Prices before = interceptor(engine).proxy(Prices.class, target);
    assertThat(before.price("ACME")).isEqualTo("ACME#1");
    assertThat(before.rate(Currency.EUR, Currency.USD)).isEqualTo("EUR/USD#2");

    // The next deploy: another interceptor, the class and methods renamed, the same cache names.
    RenamedPrices after = interceptor(engine).proxy(RenamedPrices.class, target);

    assertThat(after.quote("ACME")).isEqualTo("ACME#1");
    assertThat(after.exchangeRate(Currency.EUR, Currency.USD)).isEqualTo("EUR/USD#2");
    assertThat(target.calls).hasValue(2);
  }

  @Test
  void call_argumentLongerThanMaxKeyBytes_hashedAndCached() {
    CacheEngine engine = engine(baseConfig().maxKeyBytes(100).build());
    CountingPrices target = new CountingPrices();
    Prices prices = interceptor(engine).proxy(Prices.class, target);
    String longSymbol = "S".repeat(1_000);

    assertThat(prices.price(longSymbol)).isEqualTo(longSymbol + "#1");
    assertThat(prices.price(longSymbol)).isEqualTo(longSymbol + "#1");
    if (!engine.capabilities().contains(Capability.IN_PROCESS)) {
      assertThat(keysOf(engine, "named-prices"))
          .containsExactly(CacheKeys.limitedTo(CacheKeys.of(longSymbol), 100 - CacheKeys.ENGINE_MARGIN))
          .allSatisfy(key -> assertThat(key).startsWith("#sha256:"));
    }
  }

  @Test
  void call_argumentWithoutCanonicalText_runsUncachedCountedAndNeverFails() {
    CacheEngine engine = engine(baseConfig().build());
    CountingPrices target = new CountingPrices();
    Prices prices = interceptor(engine).proxy(Prices.class, target);
    String loneSurrogate = "x\uD800";

    assertThat(prices.price(loneSurrogate)).isEqualTo(loneSurrogate + "#1");
    String second = prices.price(loneSurrogate);

    if (engine.capabilities().contains(Capability.IN_PROCESS)) {
      // The argument itself is the key: it needs no text.
      assertThat(second).isEqualTo(loneSurrogate + "#1");
    } else {
      assertThat(second).isEqualTo(loneSurrogate + "#2");
      assertThat(engine.cache("named-prices", String.class, Object.class).stats().errorCount())
          .isEqualTo(2);
    }
  }
}
