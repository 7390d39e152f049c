package io.ucache.interceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.AsyncCache;
import io.ucache.BulkLoader;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheLoadException;
import io.ucache.CacheLoader;
import io.ucache.CacheStats;
import io.ucache.CachedValue;
import io.ucache.Capability;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.ValueType;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.context.EngineContext;
import io.ucache.context.EngineManager;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The interceptor against a fake in-memory engine that can be told to fail: what reaches the
 * caller when an engine fails, in each fail mode, and which keys an engine gets. The behaviour
 * on real engines is the testkit's {@code UCacheContract}.
 */
class UCacheInterceptorTest {

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The fake engine

  /** How the fake engine's caches fail. */
  enum Failure {
    /** They work. */
    NONE,
    /** Every cache operation throws {@link EngineUnavailableException}. */
    EVERYTHING,
    /** Reads work; loading and writing throw before anything runs. */
    LOADING,
    /** Reads work; a load runs the loader, then fails to store its value. */
    STORING
  }

  /**
   * A {@link ConcurrentHashMap}-backed engine. Its caches do what the interceptor uses (get,
   * lookup, get with a loader, put, evict, clear, keys); a load is not single-flight, which
   * these single-threaded tests do not need. It takes no per-cache settings, like any engine
   * that keeps the SPI's default.
   */
  static final class MapEngine implements CacheEngine {
    final String name;
    final Set<Capability> capabilities;
    final CacheConfig config;
    final Map<String, MapCache> caches = new ConcurrentHashMap<>();
    volatile Failure failure = Failure.NONE;
    volatile boolean failToOpenCaches;
    volatile boolean closed;

    MapEngine(String name, CacheConfig config, Capability... capabilities) {
      this.name = name;
      this.config = config;
      this.capabilities = Set.of(capabilities);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Set<Capability> capabilities() {
      return capabilities;
    }

    @Override
    public CacheConfig config() {
      return config;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> Cache<K, V> cache(String cacheName, Class<K> keyType,
        ValueType<V> valueType, CacheConfig settings) {
      checkOpen();
      if (failToOpenCaches) {
        throw new EngineUnavailableException(name, "the fake engine cannot open caches now");
      }
      Class<?> valueClass = valueType.rawType();
      MapCache cache = caches.computeIfAbsent(cacheName,
          n -> new MapCache(this, n, keyType, valueClass,
              config.forCache(n).withCacheSettings(settings).nullValues()));
      if (cache.keyType != keyType
          || cache.valueType != valueClass && valueClass != Object.class) {
        throw new IllegalArgumentException("cache " + cacheName + " has other types");
      }
      return (Cache<K, V>) cache;
    }

    MapCache cache(String cacheName) {
      return Objects.requireNonNull(caches.get(cacheName), cacheName);
    }

    @Override
    public Set<String> cacheNames() {
      return Set.copyOf(caches.keySet());
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      throw new IllegalArgumentException("the fake engine wraps nothing");
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
    }

    void checkOpen() {
      if (closed) {
        throw new IllegalStateException("the fake engine is closed");
      }
    }
  }

  static final class MapCache implements Cache<Object, Object> {
    private static final Object NULL = new Object();

    final MapEngine engine;
    final String name;
    final Class<?> keyType;
    final Class<?> valueType;
    final boolean nullValues;
    final ConcurrentHashMap<Object, Object> store = new ConcurrentHashMap<>();

    MapCache(MapEngine engine, String name, Class<?> keyType, Class<?> valueType,
        boolean nullValues) {
      this.engine = engine;
      this.name = name;
      this.keyType = keyType;
      this.valueType = valueType;
      this.nullValues = nullValues;
    }

    private void check(boolean read) {
      engine.checkOpen();
      Failure failure = engine.failure;
      if (failure == Failure.EVERYTHING || failure == Failure.LOADING && !read) {
        throw new EngineUnavailableException(engine.name, "the fake engine is down");
      }
    }

    private static @Nullable Object unwrap(Object stored) {
      return stored == NULL ? null : stored;
    }

    private Object wrap(@Nullable Object value) {
      if (value == null && !nullValues) {
        throw new NullPointerException("null values are off");
      }
      return value == null ? NULL : value;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public @Nullable Object get(Object key) {
      check(true);
      Object stored = store.get(key);
      return stored == null ? null : unwrap(stored);
    }

    @Override
    public @Nullable CachedValue<Object> lookup(Object key) {
      check(true);
      Object stored = store.get(key);
      return stored == null ? null : new CachedValue<>(unwrap(stored));
    }

    @Override
    public @Nullable Object get(Object key, CacheLoader<? super Object, ?> loader) {
      check(false);
      Object stored = store.get(key);
      if (stored != null) {
        return unwrap(stored);
      }
      Object value;
      try {
        value = loader.load(key);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CacheLoadException(key, e);
      }
      if (engine.failure == Failure.STORING) {
        throw new EngineUnavailableException(engine.name, "the fake engine lost the write");
      }
      if (value != null || nullValues) {
        store.put(key, wrap(value));
      }
      return value;
    }

    @Override
    public void put(Object key, @Nullable Object value) {
      check(false);
      store.put(key, wrap(value));
    }

    @Override
    public void evict(Object key) {
      check(false);
      store.remove(key);
    }

    @Override
    public void clear() {
      check(false);
      store.clear();
    }

    @Override
    public Stream<Object> keys() {
      check(true);
      return store.keySet().stream();
    }

    @Override
    public CacheStats stats() {
      return CacheStats.EMPTY;
    }

    @Override
    public Map<Object, Object> getAll(Iterable<?> keys) {
      throw new UnsupportedOperationException("not used by the interceptor");
    }

    @Override
    public Map<Object, Object> getAll(Iterable<?> keys, BulkLoader<Object, Object> loader) {
      throw new UnsupportedOperationException("not used by the interceptor");
    }

    @Override
    public void put(Object key, @Nullable Object value, Duration ttl) {
      throw new UnsupportedOperationException("not used by the interceptor");
    }

    @Override
    public @Nullable CachedValue<Object> putIfAbsent(Object key, @Nullable Object value) {
      throw new UnsupportedOperationException("not used by the interceptor");
    }

    @Override
    public void putAll(Map<?, ?> entries) {
      throw new UnsupportedOperationException("not used by the interceptor");
    }

    @Override
    public void evictAll(Iterable<?> keys) {
      throw new UnsupportedOperationException("not used by the interceptor");
    }

    @Override
    public AsyncCache<Object, Object> async() {
      throw new UnsupportedOperationException("not used by the interceptor");
    }

    @Override
    public ConcurrentMap<Object, Object> asMap() {
      throw new UnsupportedOperationException("not used by the interceptor");
    }

    @Override
    public <T> T unwrap(Class<T> type) {
      throw new IllegalArgumentException("the fake cache wraps nothing");
    }
  }

  /** A provider of {@link MapEngine}s that records them, or fails to start one. */
  static final class MapProvider implements EngineProvider {
    final List<MapEngine> created = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    volatile boolean unavailable;

    @Override
    public String name() {
      return "map";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.IN_PROCESS);
    }

    @Override
    public int priority() {
      return 1000;
    }

    @Override
    public Availability availability() {
      return Availability.yes();
    }

    @Override
    public CacheEngine create(CacheConfig config) {
      attempts.incrementAndGet();
      if (unavailable) {
        throw new EngineUnavailableException("map", "the map engine cannot start now");
      }
      MapEngine engine = new MapEngine("map", config, Capability.IN_PROCESS);
      created.add(engine);
      return engine;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // A service

  /** Public: a JDK proxy rethrows only exception types it can access. */
  public static final class ServiceException extends Exception {
    private static final long serialVersionUID = 1L;

    public ServiceException(String message) {
      super(message);
    }
  }

  public interface Service {
    @UCache
    String get(String key) throws ServiceException;

    @UCache(engine = "map")
    String getOnNamedEngine(String key);

    @UCacheEvict(name = "io.ucache.interceptor.UCacheInterceptorTest$Service.get(java.lang.String)")
    void forget(String key);

    @UCache
    CompletableFuture<String> fetch(String key);

    String plain(String key);
  }

  static final class CountingService implements Service {
    final AtomicInteger calls = new AtomicInteger();
    final List<CompletableFuture<String>> started = new CopyOnWriteArrayList<>();
    volatile @Nullable ServiceException failure;

    @Override
    public String get(String key) throws ServiceException {
      int call = calls.incrementAndGet();
      ServiceException thrown = failure;
      if (thrown != null) {
        throw thrown;
      }
      return "get:" + key + "#" + call;
    }

    @Override
    public String getOnNamedEngine(String key) {
      return "named:" + key + "#" + calls.incrementAndGet();
    }

    @Override
    public void forget(String key) {
      calls.incrementAndGet();
    }

    @Override
    public CompletableFuture<String> fetch(String key) {
      calls.incrementAndGet();
      CompletableFuture<String> future = new CompletableFuture<>();
      started.add(future);
      return future;
    }

    @Override
    public String plain(String key) {
      return "plain:" + key + "#" + calls.incrementAndGet();
    }
  }

  private static final String GET_NAME =
      "io.ucache.interceptor.UCacheInterceptorTest$Service.get(java.lang.String)";

  private MapEngine engine(CacheConfig config, Capability... capabilities) {
    MapEngine engine = new MapEngine("map", config, capabilities);
    resources.add(engine);
    return engine;
  }

  private MapEngine engine(Capability... capabilities) {
    return engine(CacheConfig.defaults(), capabilities);
  }

  private UCacheInterceptor interceptor(CacheEngine engine) {
    UCacheInterceptor interceptor = UCacheInterceptor.using(engine);
    resources.add(0, interceptor);
    return interceptor;
  }

  private Service proxy(CacheEngine engine, CountingService service) {
    return interceptor(engine).proxy(Service.class, service);
  }

  private static CacheConfig failClosed() {
    return CacheConfig.builder().failMode(FailMode.CLOSED).build();
  }

  // ---------------------------------------------------------------------------------------------
  // Keys

  @Test
  void call_inProcessEngineOneKeyArgumentOwnCache_storesTheArgumentAsKeyAndAnyValue()
      throws Exception {
    MapEngine engine = engine(Capability.IN_PROCESS);
    Service service = proxy(engine, new CountingService());

    service.get("a");

    MapCache cache = engine.cache(GET_NAME);
    assertThat(cache.keyType).isEqualTo(Object.class);
    assertThat(cache.valueType).isEqualTo(Object.class);
    assertThat(cache.store.keySet()).containsExactly("a");
  }

  /** More cached methods than a proxy's dispatch keeps in its scanned array (8). */
  public interface Wide {
    @UCache(name = "w0") String m0(String key);
    @UCache(name = "w1") String m1(String key);
    @UCache(name = "w2") String m2(String key);
    @UCache(name = "w3") String m3(String key);
    @UCache(name = "w4") String m4(String key);
    @UCache(name = "w5") String m5(String key);
    @UCache(name = "w6") String m6(String key);
    @UCache(name = "w7") String m7(String key);
    @UCache(name = "w8") String m8(String key);
    @UCache(name = "w9") String m9(String key);
  }

  @Test
  void proxy_moreMethodsThanItScans_eachMethodCachedInItsOwnCache() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Wide wide = interceptor(engine(Capability.IN_PROCESS)).proxy(Wide.class,
        (Wide) java.lang.reflect.Proxy.newProxyInstance(Wide.class.getClassLoader(),
            new Class<?>[] {Wide.class}, (proxy, method, args) -> args == null ? "the target"
                : method.getName() + ":" + args[0] + "#" + calls.incrementAndGet()));
    Method[] methods = Wide.class.getMethods();
    java.util.Arrays.sort(methods, java.util.Comparator.comparing(Method::getName));
    List<Object> first = new ArrayList<>();
    for (Method method : methods) {
      first.add(method.invoke(wide, "k"));
    }
    for (int round = 0; round < 2; round++) {
      for (int i = methods.length - 1; i >= 0; i--) {
        assertThat(methods[i].invoke(wide, "k")).as(methods[i].getName())
            .isEqualTo(first.get(i));
      }
    }

    assertThat(calls).as("one run per method").hasValue(10);
    assertThat(first).extracting(Object::toString)
        .allSatisfy(value -> assertThat(value).matches("m\\d:k#\\d+"))
        .doesNotHaveDuplicates();
    assertThat(wide.toString()).as("Object's methods reach the target").isEqualTo("the target");
  }

  /** Methods sharing caches by name; {@code pair} has two key arguments. */
  public interface Shared {
    @UCache(name = "shared")
    String first(String key);

    @UCache(name = "shared")
    String second(String key);

    @UCache(name = "pairs")
    String pair(String a, String b);
  }

  static final class SharedService implements Shared {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String first(String key) {
      return "first:" + key + "#" + calls.incrementAndGet();
    }

    @Override
    public String second(String key) {
      return "second:" + key + "#" + calls.incrementAndGet();
    }

    @Override
    public String pair(String a, String b) {
      return "pair:" + a + "," + b + "#" + calls.incrementAndGet();
    }
  }

  @Test
  void call_namedCacheSharedByTwoMethods_sharesEntriesByArguments() {
    MapEngine engine = engine(Capability.IN_PROCESS);
    SharedService target = new SharedService();
    Shared shared = interceptor(engine).proxy(Shared.class, target);

    assertThat(shared.first("x")).isEqualTo("first:x#1");
    // The key is the cache's name and the arguments, as in Spring: the same entry.
    assertThat(shared.second("x")).isEqualTo("first:x#1");
    assertThat(shared.second("y")).isEqualTo("second:y#2");
    assertThat(shared.first("y")).isEqualTo("second:y#2");

    assertThat(engine.cache("shared").store.keySet()).containsExactlyInAnyOrder("x", "y");
  }

  @Test
  void call_namedCacheSharedWithAMethodOfAnotherInterceptor_sharesEntries() {
    MapEngine engine = engine(Capability.IN_PROCESS);
    Shared one = interceptor(engine).proxy(Shared.class, new SharedService());
    Shared other = interceptor(engine).proxy(Shared.class, new SharedService());

    assertThat(one.first("x")).isEqualTo("first:x#1");
    assertThat(other.second("x")).isEqualTo("first:x#1");
    assertThat(engine.cache("shared").store.keySet()).containsExactly("x");
  }

  @Test
  void onCacheOpened_reportsEachCacheOnce_thoseOpenedBeforeAndAfter() {
    MapEngine engine = engine(Capability.IN_PROCESS);
    UCacheInterceptor interceptor = interceptor(engine);
    Shared shared = interceptor.proxy(Shared.class, new SharedService());
    shared.first("x");
    List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();

    interceptor.onCacheOpened(cache -> reported.add(cache.name()));
    assertThat(reported).containsExactly("shared");

    shared.second("x");   // the same cache: not reported again
    shared.pair("a", "b");
    shared.pair("c", "d");
    assertThat(reported).containsExactly("shared", "pairs");
  }

  @Test
  void onCacheOpened_leavesOutTheCachesOfAContextsEngine() {
    MapEngine engine = engine(Capability.IN_PROCESS);
    UCacheInterceptor interceptor = interceptor(engine);
    Shared shared = interceptor.proxy(Shared.class, new SharedService());
    List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
    interceptor.onCacheOpened(cache -> reported.add(cache.name()));
    MapProvider provider = new MapProvider();

    try (EngineContext context = EngineContext.open(CacheConfig.builder().engine("map").build(),
        EngineManager.of(provider))) {
      shared.first("x");
      assertThat(context.engine()).isSameAs(provider.created.get(0));
    }
    assertThat(provider.created).hasSize(1);
    assertThat(provider.created.get(0).cache("shared").store).isNotEmpty(); // it was used
    assertThat(reported).isEmpty();
  }

  @Test
  void call_twoKeyArguments_storesCallKeys() {
    MapEngine engine = engine(Capability.IN_PROCESS);
    Shared shared = interceptor(engine).proxy(Shared.class, new SharedService());

    assertThat(shared.pair("a", "b")).isEqualTo("pair:a,b#1");
    assertThat(shared.pair("a", "b")).isEqualTo("pair:a,b#1");

    assertThat(engine.cache("pairs").store.keySet())
        .containsExactly(new CallKey(new Object[] {"a", "b"}));
  }

  @Test
  void call_engineNotInProcess_storesCanonicalStringKeysAndTypedValues() throws Exception {
    MapEngine engine = engine(Capability.PERSISTENT);
    Service service = proxy(engine, new CountingService());

    service.get("a");

    MapCache cache = engine.cache(GET_NAME);
    assertThat(cache.keyType).isEqualTo(String.class);
    assertThat(cache.valueType).isEqualTo(String.class);
    // The cache's name is the method's signature: the key is the argument's text alone.
    assertThat(cache.store).containsExactly(Map.entry("a", "get:a#1"));
  }

  @Test
  void call_engineNotInProcessTwice_hitsByStringKey() throws Exception {
    MapEngine engine = engine(Capability.PERSISTENT);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);

    assertThat(service.get("a")).isEqualTo("get:a#1");
    assertThat(service.get("a")).isEqualTo("get:a#1");
    assertThat(counting.calls).hasValue(1);
  }

  @Test
  void call_engineWithoutPerCacheSettingsAndNoAttributes_cached() throws Exception {
    // MapEngine keeps the SPI's default cache(name, k, v, settings), which refuses settings.
    CountingService counting = new CountingService();
    Service service = proxy(engine(Capability.IN_PROCESS), counting);

    assertThat(service.get("a")).isEqualTo("get:a#1");
    assertThat(service.get("a")).isEqualTo("get:a#1");
    assertThat(counting.calls).hasValue(1);
  }

  // ---------------------------------------------------------------------------------------------
  // Engine failures

  @Test
  void call_engineFailsEverywhereInDefaultFailMode_methodRunsAndReturnsItsValue()
      throws Exception {
    MapEngine engine = engine(Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    engine.failure = Failure.EVERYTHING;

    assertThat(service.get("a")).isEqualTo("get:a#1");
    assertThat(service.get("a")).isEqualTo("get:a#2");
    assertThat(counting.calls).hasValue(2);
  }

  @Test
  void call_engineFailsEverywhereInFailModeClosed_engineUnavailableExceptionReachesCaller() {
    MapEngine engine = engine(failClosed(), Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    engine.failure = Failure.EVERYTHING;

    assertThatThrownBy(() -> service.get("a")).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("down");
    assertThat(counting.calls).hasValue(0);
  }

  @Test
  void call_engineRecovers_callsAreCachedAgain() throws Exception {
    MapEngine engine = engine(Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    engine.failure = Failure.EVERYTHING;
    service.get("a");

    engine.failure = Failure.NONE;

    assertThat(service.get("a")).isEqualTo("get:a#2");
    assertThat(service.get("a")).isEqualTo("get:a#2");
  }

  @Test
  void call_engineFailsToLoadAndMethodThrowsInDefaultFailMode_callerGetsTheMethodsExceptionUnwrapped() {
    MapEngine engine = engine(Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    engine.failure = Failure.LOADING;
    ServiceException failure = new ServiceException("backend down");
    counting.failure = failure;

    assertThatThrownBy(() -> service.get("a")).isSameAs(failure);
    assertThat(counting.calls).hasValue(1);
  }

  @Test
  void call_engineFailsToLoadInDefaultFailMode_methodRunsOnceAndReturnsItsValue()
      throws Exception {
    MapEngine engine = engine(Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    engine.failure = Failure.LOADING;

    assertThat(service.get("a")).isEqualTo("get:a#1");
    assertThat(counting.calls).hasValue(1);
  }

  @Test
  void call_engineFailsToStoreAfterMethodRanInDefaultFailMode_methodNotRunTwice()
      throws Exception {
    MapEngine engine = engine(Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    engine.failure = Failure.STORING;

    assertThat(service.get("a")).isEqualTo("get:a#1");
    assertThat(counting.calls).hasValue(1);
  }

  @Test
  void call_engineFailsToStoreInFailModeClosed_engineUnavailableExceptionReachesCaller() {
    MapEngine engine = engine(failClosed(), Capability.IN_PROCESS);
    Service service = proxy(engine, new CountingService());
    engine.failure = Failure.STORING;

    assertThatThrownBy(() -> service.get("a")).isInstanceOf(EngineUnavailableException.class);
  }

  @Test
  void call_engineCannotOpenTheCacheInDefaultFailMode_methodRuns() throws Exception {
    MapEngine engine = engine(Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    engine.failToOpenCaches = true;

    assertThat(service.get("a")).isEqualTo("get:a#1");
    assertThat(service.get("a")).isEqualTo("get:a#2");
  }

  @Test
  void call_engineCannotOpenTheCacheInFailModeClosed_engineUnavailableExceptionReachesCaller() {
    MapEngine engine = engine(failClosed(), Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    engine.failToOpenCaches = true;

    assertThatThrownBy(() -> service.get("a")).isInstanceOf(EngineUnavailableException.class);
    assertThat(counting.calls).hasValue(0);
  }

  /** A cache on the default engine, and an eviction from the same name on the "map" engine. */
  public interface EvictsElsewhere {
    @UCache(name = "items")
    String item(String key);

    @UCacheEvict(name = "items", engine = "map")
    void drop(String key);
  }

  @Test
  void call_afterAnEvictionOnAnotherEngine_stillReadsItsOwnEngine() {
    MapProvider provider = new MapProvider();
    UCacheInterceptor ucache = UCacheInterceptor.using(EngineManager.of(provider),
        CacheConfig.defaults());
    resources.add(ucache);
    AtomicInteger calls = new AtomicInteger();
    EvictsElsewhere items = ucache.proxy(EvictsElsewhere.class, new EvictsElsewhere() {
      @Override
      public String item(String key) {
        return key + "#" + calls.incrementAndGet();
      }

      @Override
      public void drop(String key) {}
    });

    assertThat(items.item("a")).isEqualTo("a#1");
    items.drop("b"); // binds the cached method to the "map" engine the eviction names

    assertThat(items.item("a")).isEqualTo("a#1");
    assertThat(provider.created).hasSize(2);
  }

  @Test
  void call_engineCannotStartInDefaultFailMode_methodRuns() throws Exception {
    MapProvider provider = new MapProvider();
    provider.unavailable = true;
    UCacheInterceptor ucache = UCacheInterceptor.using(EngineManager.of(provider),
        CacheConfig.defaults());
    resources.add(ucache);
    CountingService counting = new CountingService();
    Service service = ucache.proxy(Service.class, counting);

    assertThat(service.get("a")).isEqualTo("get:a#1");
    assertThat(service.get("a")).isEqualTo("get:a#2");
  }

  @Test
  void call_engineCannotStartRepeatedly_startSkippedUntilTheCoolDownThenTriedOnce()
      throws Exception {
    MapProvider provider = new MapProvider();
    provider.unavailable = true;
    AtomicLong nanos = new AtomicLong();
    UCacheInterceptor ucache = UCacheInterceptor.using(EngineManager.of(provider),
        CacheConfig.builder().circuitBreakerFailures(2)
            .circuitBreakerCoolDown(Duration.ofSeconds(10)).ticker(nanos::get).build());
    resources.add(ucache);
    CountingService counting = new CountingService();
    Service service = ucache.proxy(Service.class, counting);

    for (int i = 1; i <= 10; i++) {
      assertThat(service.get("a")).isEqualTo("get:a#" + i);
    }
    assertThat(provider.attempts).as("two failed starts open the circuit").hasValue(2);
    provider.unavailable = false;
    assertThat(service.get("a")).as("still in its cool-down").isEqualTo("get:a#11");
    nanos.addAndGet(Duration.ofSeconds(10).toNanos());

    assertThat(service.get("a")).isEqualTo("get:a#12");
    assertThat(service.get("a")).as("started and cached").isEqualTo("get:a#12");
    assertThat(provider.attempts).hasValue(3);
  }

  @Test
  void call_engineCannotStartRepeatedlyInFailModeClosed_skippedStartThrowsEngineUnavailable() {
    MapProvider provider = new MapProvider();
    provider.unavailable = true;
    UCacheInterceptor ucache = UCacheInterceptor.using(EngineManager.of(provider),
        failClosed().toBuilder().circuitBreakerFailures(1).build());
    resources.add(ucache);
    Service service = ucache.proxy(Service.class, new CountingService());

    assertThatThrownBy(() -> service.get("a")).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("cannot start");
    assertThatThrownBy(() -> service.get("a")).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("circuit breaker is open").hasMessageContaining("cannot start");
    assertThat(provider.attempts).hasValue(1);
  }

  @Test
  void call_engineCannotStartInFailModeClosed_engineUnavailableExceptionReachesCaller() {
    MapProvider provider = new MapProvider();
    provider.unavailable = true;
    UCacheInterceptor ucache = UCacheInterceptor.using(EngineManager.of(provider), failClosed());
    resources.add(ucache);
    Service service = ucache.proxy(Service.class, new CountingService());

    assertThatThrownBy(() -> service.get("a")).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("cannot start");
  }

  @Test
  void evict_engineFailsInDefaultFailMode_methodReturnsNormally() throws Exception {
    MapEngine engine = engine(Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    service.get("a");
    engine.failure = Failure.EVERYTHING;

    service.forget("a");

    assertThat(counting.calls).hasValue(2);
    engine.failure = Failure.NONE;
    assertThat(service.get("a")).as("not evicted").isEqualTo("get:a#1");
  }

  @Test
  void evict_engineFailsInFailModeClosed_engineUnavailableExceptionAfterTheMethodRan()
      throws Exception {
    MapEngine engine = engine(failClosed(), Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    service.get("a");
    engine.failure = Failure.EVERYTHING;

    assertThatThrownBy(() -> service.forget("a")).isInstanceOf(EngineUnavailableException.class);
    assertThat(counting.calls).hasValue(2);
  }

  @Test
  void fetch_engineFailsToStoreTheCompletedValue_callersStillGetIt() throws Exception {
    MapEngine engine = engine(Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    CompletableFuture<String> first = service.fetch("a");
    CompletableFuture<String> second = service.fetch("a");
    engine.failure = Failure.EVERYTHING;

    counting.started.get(0).complete("v");

    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo("v");
    assertThat(counting.calls).hasValue(1);
  }

  @Test
  void fetch_engineClosedBeforeTheFutureCompletes_callersStillGetItAndTheFlightEnds()
      throws Exception {
    MapEngine engine = engine(Capability.IN_PROCESS);
    CountingService counting = new CountingService();
    Service service = proxy(engine, counting);
    CompletableFuture<String> first = service.fetch("a");
    engine.close();

    counting.started.get(0).complete("v");

    assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo("v");
  }

  // ---------------------------------------------------------------------------------------------
  // Engines an interceptor starts

  @Test
  void call_annotationNamesTheDefaultEngine_sharesTheDefaultEngine() throws Exception {
    MapProvider provider = new MapProvider();
    UCacheInterceptor ucache = UCacheInterceptor.using(EngineManager.of(provider),
        CacheConfig.builder().engine("map").build());
    resources.add(ucache);
    Service service = ucache.proxy(Service.class, new CountingService());

    service.get("a");
    service.getOnNamedEngine("a");

    assertThat(provider.created).hasSize(1);
    assertThat(provider.created.get(0).cacheNames()).hasSize(2);
    ucache.close();
    assertThat(provider.created.get(0).isClosed()).isTrue();
  }

  @Test
  void proxy_annotationNamesAnotherEngineThanTheGivenOne_failsNamingTheMethod() {
    UCacheInterceptor ucache = interceptor(new MapEngine("other", CacheConfig.defaults(),
        Capability.IN_PROCESS));

    assertThatThrownBy(() -> ucache.proxy(Service.class, new CountingService()))
        .isInstanceOf(io.ucache.CacheConfigException.class)
        .hasMessageContaining(
            "io.ucache.interceptor.UCacheInterceptorTest$Service.getOnNamedEngine(java.lang.String)")
        .hasMessageContaining("'map'");
  }

  // ---------------------------------------------------------------------------------------------
  // invoke(): the entry point of an AOP advisor

  @Test
  void invoke_sameArgumentsTwice_proceedsOnce() throws Throwable {
    CountingService target = new CountingService();
    UCacheInterceptor ucache = interceptor(engine(Capability.IN_PROCESS));
    Method get = Service.class.getMethod("get", String.class);
    AtomicInteger proceeded = new AtomicInteger();

    Object first = ucache.invoke(target, get, new Object[] {"a"}, () -> {
      proceeded.incrementAndGet();
      return target.get("a");
    });
    Object second = ucache.invoke(target, get, new Object[] {"a"}, () -> {
      proceeded.incrementAndGet();
      return target.get("a");
    });

    assertThat(first).isEqualTo("get:a#1");
    assertThat(second).isEqualTo("get:a#1");
    assertThat(proceeded).hasValue(1);
  }

  @Test
  void invoke_methodWithoutAnnotations_proceedsEveryTime() throws Throwable {
    CountingService target = new CountingService();
    UCacheInterceptor ucache = interceptor(engine(Capability.IN_PROCESS));
    Method plain = Service.class.getMethod("plain", String.class);

    assertThat(ucache.invoke(target, plain, new Object[] {"a"}, () -> target.plain("a")))
        .isEqualTo("plain:a#1");
    assertThat(ucache.invoke(target, plain, new Object[] {"a"}, () -> target.plain("a")))
        .isEqualTo("plain:a#2");
  }

  @Test
  void invoke_afterClose_throwsIllegalStateException() throws Exception {
    CountingService target = new CountingService();
    UCacheInterceptor ucache = interceptor(engine(Capability.IN_PROCESS));
    Method get = Service.class.getMethod("get", String.class);

    ucache.close();

    assertThatThrownBy(() -> ucache.invoke(target, get, new Object[] {"a"}, () -> "x"))
        .isInstanceOf(IllegalStateException.class);
  }
}
