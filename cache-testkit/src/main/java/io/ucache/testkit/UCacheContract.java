package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.annotation.CacheKey;
import io.ucache.annotation.KeyGenerator;
import io.ucache.annotation.Toggle;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.context.EngineContext;
import io.ucache.context.EngineInfo;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import java.io.File;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The behaviour of {@link UCache} and {@link UCacheEvict} on a real engine, as a JUnit 5 class
 * that an engine's test extends, as it extends {@link CacheEngineContract}:
 *
 * <pre>{@code
 * class MyEngineUCacheTest extends UCacheContract {
 *   @Override
 *   protected CacheConfig.Builder baseConfig() {
 *     return CacheConfig.builder().engine("my-engine");
 *   }
 * }
 * }</pre>
 *
 * <p>Each test starts its own engines from a fresh {@link #baseConfig()} and proxies small
 * service interfaces (declared here, public, with counting implementations) through a
 * {@link UCacheInterceptor} over them; engines and interceptors are closed when the test ends.
 * The annotated methods use fixed cache names (their default names, or a few explicit ones), so
 * an engine whose caches live outside the JVM (a server, a folder) must return a fresh namespace
 * or folder from every {@link #baseConfig()} call, or tests would see each other's entries.
 *
 * <p>The {@code ttl} attribute is tested with a {@link FakeTicker} when
 * {@link #supportsTicker()}; otherwise with a method whose {@code ttl} is one second, polled with
 * a deadline. Nothing sleeps: every wait polls with a deadline.
 *
 * <p>The engine's {@code null-values} must be left at its default (off) in {@link #baseConfig()}.
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread; tests
 * that need several threads start and stop their own. <b>Nulls:</b> the hooks must not return
 * {@code null}.
 */
public abstract class UCacheContract {

  /** How long a poll waits for an outcome (eviction, expiry, threads) before failing. */
  private static final Duration AWAIT = Duration.ofSeconds(30);
  /** Threads that call one method with one key at once in the single-flight tests. */
  private static final int CALLERS = 16;

  /** Engines and interceptors this test started, closed after it in reverse order. */
  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

  /** For subclasses. */
  protected UCacheContract() {}

  // ---------------------------------------------------------------------------------------------
  // Hooks

  /**
   * A new builder for the engine under test: its name ({@code engine}) and whatever it needs to
   * start. Called for every engine a test starts, several of which may be open at once: where
   * engines share a resource (a folder, a namespace on a server), return a fresh one each call.
   */
  protected abstract CacheConfig.Builder baseConfig();

  /**
   * Whether the engine takes its time from {@link CacheConfig#ticker()}; when {@code false} the
   * ttl test uses a real one-second ttl and polls.
   */
  protected boolean supportsTicker() {
    return true;
  }

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Starts an engine for {@link #baseConfig()} changed by {@code customize}; closed after the test. */
  protected final CacheEngine newEngine(UnaryOperator<CacheConfig.Builder> customize) {
    CacheEngine engine = manager().create(customize.apply(baseConfig()).build());
    resources.add(engine);
    return engine;
  }

  /** Starts an engine for {@link #baseConfig()}; closed after the test. */
  protected final CacheEngine newEngine() {
    return newEngine(builder -> builder);
  }

  /** An interceptor over {@code engine} ({@link UCacheInterceptor#using(CacheEngine)}); closed after the test. */
  protected final UCacheInterceptor interceptor(CacheEngine engine) {
    UCacheInterceptor interceptor = UCacheInterceptor.using(engine);
    resources.add(interceptor);
    return interceptor;
  }

  /** A proxy of {@code target} through an interceptor over a new engine. */
  protected final <T> T proxy(Class<T> type, T target) {
    return interceptor(newEngine()).proxy(type, target);
  }

  @AfterEach
  final void closeResources() throws Exception {
    Exception failure = null;
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable resource : reversed) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    resources.clear();
    TenantKey.TENANT.remove();
    if (failure != null) {
      throw failure;
    }
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} after {@code within}. */
  private static void await(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("Timed out after " + within + " waiting until " + what);
      }
      Thread.yield();
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    await(what, AWAIT, condition);
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * The cache called {@code name} on {@code engine}, typed as the interceptor opens it: any key
   * and value on an in-process engine, else canonical String keys and the method's value type.
   */
  private static Cache<?, ?> cacheIn(CacheEngine engine, String name, Class<?> valueType) {
    boolean inProcess = engine.capabilities().contains(Capability.IN_PROCESS);
    Class<?> keyType = inProcess ? Object.class : String.class;
    Class<?> storedType = inProcess ? Object.class : valueType;
    return engine.cache(name, keyType, storedType);
  }

  /** How many entries the cache called {@code name} holds on {@code engine}; 0 if it was never opened. */
  private static long entries(CacheEngine engine, String name, Class<?> valueType) {
    if (!engine.cacheNames().contains(name)) {
      return 0;
    }
    try (Stream<?> keys = cacheIn(engine, name, valueType).keys()) {
      return keys.count();
    }
  }

  /** The values the cache holds, as stored. */
  private static <K> List<@Nullable Object> values(Cache<K, ?> cache) {
    try (Stream<K> keys = cache.keys()) {
      return keys.<@Nullable Object>map(cache::get).collect(Collectors.toList());
    }
  }

  private static String defaultName(Class<?> type, String method, Class<?>... parameters) {
    return type.getName() + "." + method + "(" + Stream.of(parameters).map(Class::getTypeName)
        .collect(Collectors.joining(",")) + ")";
  }

  // ---------------------------------------------------------------------------------------------
  // Services

  /** A checked exception that service methods declare. */
  public static final class ServiceException extends Exception {
    private static final long serialVersionUID = 1L;

    public ServiceException(String message) {
      super(message);
    }
  }

  /** Counts the calls that reached an implementation; results carry the call's number. */
  private static class Calls {
    final AtomicInteger count = new AtomicInteger();

    String result(String what) {
      return what + "#" + count.incrementAndGet();
    }

    int count() {
      return count.get();
    }
  }

  /** Keys a call by its first argument, in lower case. */
  public static final class LowerCaseKey implements KeyGenerator {
    @Override
    public Object generate(Method method, Object[] args) {
      return ((String) args[0]).toLowerCase(Locale.ROOT);
    }
  }

  /** Keys a call by the calling thread's tenant, whatever the arguments. */
  public static final class TenantKey implements KeyGenerator {
    static final ThreadLocal<String> TENANT = ThreadLocal.withInitial(() -> "none");

    @Override
    public Object generate(Method method, Object[] args) {
      return "tenant:" + TENANT.get();
    }
  }

  /** A record argument. */
  public record Point(int x, int y) {}

  /** An enum argument. */
  public enum Color { RED, GREEN }

  public interface Catalog {
    @UCache
    String describe(String id);

    @UCache
    String describe(String id, int version);

    @UCache(name = "overloaded")
    String lookup(String key);

    @UCache(name = "overloaded")
    String lookup(CharSequence key);

    @UCache(name = "shared")
    String first(String a, String b);

    @UCache(name = "shared")
    String second(String a, String b);

    @UCache
    String join(@Nullable String a, @Nullable String b);

    @UCache
    String render(@CacheKey String id, String locale);

    @UCache(keyGenerator = LowerCaseKey.class)
    String user(String name);

    @UCache(keyGenerator = TenantKey.class)
    String settings();

    /** Not annotated: never cached. */
    String uncached(String id);
  }

  private static final class CatalogService extends Calls implements Catalog {
    @Override
    public String describe(String id) {
      return result("describe:" + id);
    }

    @Override
    public String describe(String id, int version) {
      return result("describe:" + id + ":" + version);
    }

    @Override
    public String lookup(String key) {
      return result("lookup(String):" + key);
    }

    @Override
    public String lookup(CharSequence key) {
      return result("lookup(CharSequence):" + key);
    }

    @Override
    public String first(String a, String b) {
      return result("first:" + a + "," + b);
    }

    @Override
    public String second(String a, String b) {
      return result("second:" + a + "," + b);
    }

    @Override
    public String join(@Nullable String a, @Nullable String b) {
      return result("join:" + a + "," + b);
    }

    @Override
    public String render(String id, String locale) {
      return result("render:" + id + ":" + locale);
    }

    @Override
    public String user(String name) {
      return result("user:" + name);
    }

    @Override
    public String settings() {
      return result("settings:" + TenantKey.TENANT.get());
    }

    @Override
    public String uncached(String id) {
      return result("uncached:" + id);
    }
  }

  /** Not public, as service interfaces often are. */
  interface Hidden {
    @UCache
    String get(String key);

    String plain(String key);

    static Hidden unused() {
      throw new AssertionError("never called");
    }
  }

  private static final class HiddenService extends Calls implements Hidden {
    @Override
    public String get(String key) {
      return result("get:" + key);
    }

    @Override
    public String plain(String key) {
      return result("plain:" + key);
    }
  }

  /** No annotations: implementations carry them, or not. */
  public interface Greeter {
    String greet(String name);
  }

  private static final class AnnotatedGreeter extends Calls implements Greeter {
    @Override
    @UCache
    public String greet(String name) {
      return result("annotated:" + name);
    }
  }

  private static final class PlainGreeter extends Calls implements Greeter {
    @Override
    public String greet(String name) {
      return result("plain:" + name);
    }
  }

  public interface Shapes {
    @UCache
    String sum(int[] values);

    @UCache
    String words(String[] values);

    @UCache
    String grid(int[][] cells);

    @UCache
    String any(Object value);

    @UCache
    String list(List<Integer> values);

    @UCache
    String set(Set<String> values);

    @UCache
    String map(Map<String, Integer> values);

    @UCache
    String point(Point point);

    @UCache
    String color(Color color);
  }

  private static final class ShapesService extends Calls implements Shapes {
    @Override
    public String sum(int[] values) {
      return result("sum:" + IntStream.of(values).sum());
    }

    @Override
    public String words(String[] values) {
      return result("words:" + String.join(",", values));
    }

    @Override
    public String grid(int[][] cells) {
      return result("grid:" + cells.length);
    }

    @Override
    public String any(Object value) {
      return result("any");
    }

    @Override
    public String list(List<Integer> values) {
      return result("list:" + values);
    }

    @Override
    public String set(Set<String> values) {
      return result("set:" + values.size());
    }

    @Override
    public String map(Map<String, Integer> values) {
      return result("map:" + values.size());
    }

    @Override
    public String point(Point point) {
      return result("point:" + point);
    }

    @Override
    public String color(Color color) {
      return result("color:" + color);
    }
  }

  public interface Blocking {
    @UCache
    String load(String key) throws ServiceException;

    @UCache(sync = false)
    String loadUnsynced(String key) throws ServiceException;

    @UCache
    String loadUnchecked(String key);
  }

  /**
   * Counts its calls, then (while {@link #blocking}) blocks until released, then returns or
   * throws {@link #failure}.
   */
  private static final class BlockingService extends Calls implements Blocking {
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean blocking;
    volatile @Nullable ServiceException failure;
    volatile @Nullable RuntimeException uncheckedFailure;

    @Override
    public String load(String key) throws ServiceException {
      return run("load:" + key);
    }

    @Override
    public String loadUnsynced(String key) throws ServiceException {
      return run("unsynced:" + key);
    }

    @Override
    public String loadUnchecked(String key) {
      String result = result("unchecked:" + key);
      RuntimeException unchecked = uncheckedFailure;
      if (unchecked != null) {
        throw unchecked;
      }
      return result;
    }

    private String run(String what) throws ServiceException {
      String result = result(what);
      if (blocking) {
        try {
          if (!release.await(AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the test never released the method");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
      ServiceException thrown = failure;
      if (thrown != null) {
        throw thrown;
      }
      return result;
    }
  }

  public interface Async {
    @UCache
    CompletableFuture<String> fetch(String key);
  }

  /** Hands out futures the test completes. */
  private static final class AsyncService extends Calls implements Async {
    final List<CompletableFuture<String>> started = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<String> fetch(String key) {
      count.incrementAndGet();
      CompletableFuture<String> future = new CompletableFuture<>();
      started.add(future);
      return future;
    }

    CompletableFuture<String> started(int index) {
      return started.get(index);
    }
  }

  public interface Maybe {
    @UCache
    Optional<String> find(String key);

    @UCache(nullValues = Toggle.ON)
    Optional<String> findCachingEmpty(String key);

    @UCache
    @Nullable String nullable(String key);

    @UCache(nullValues = Toggle.ON)
    @Nullable String nullableCachingNull(String key);

    @UCache(nullValues = Toggle.OFF)
    @Nullable String nullableNeverCachingNull(String key);
  }

  /** Finds nothing for keys that start with "missing". */
  private static final class MaybeService extends Calls implements Maybe {
    @Override
    public Optional<String> find(String key) {
      String result = result("find:" + key);
      return key.startsWith("missing") ? Optional.empty() : Optional.of(result);
    }

    @Override
    public Optional<String> findCachingEmpty(String key) {
      return find(key);
    }

    @Override
    public @Nullable String nullable(String key) {
      String result = result("nullable:" + key);
      return key.startsWith("missing") ? null : result;
    }

    @Override
    public @Nullable String nullableCachingNull(String key) {
      return nullable(key);
    }

    @Override
    public @Nullable String nullableNeverCachingNull(String key) {
      return nullable(key);
    }
  }

  public interface Prices {
    @UCache(name = "prices")
    String price(String sku);

    @UCache(name = "prices")
    String price(String sku, String currency);

    @UCacheEvict(name = "prices")
    void update(@CacheKey String sku, String price);

    @UCacheEvict(name = "prices")
    void updateOrFail(@CacheKey String sku, boolean fail) throws ServiceException;

    @UCacheEvict(name = "prices", allEntries = true)
    void reset();
  }

  public interface Reloads extends Prices {
    /** Clears every price; {@code File} has no key form, which an all-entries eviction needs not. */
    @UCacheEvict(name = "prices", allEntries = true)
    void reload(File source);
  }

  public interface Views extends Prices {
    /** Cached in its own cache, and evicts the price of {@code sku} each time it is called. */
    @UCache(name = "views")
    @UCacheEvict(name = "prices")
    String view(String sku);
  }

  public interface Users {
    @UCache(name = "users", keyGenerator = LowerCaseKey.class)
    String user(String name);

    @UCacheEvict(name = "users")
    void rename(String name);
  }

  private static final class PricesService extends Calls implements Reloads, Views, Users {
    final AtomicInteger updates = new AtomicInteger();

    @Override
    public String price(String sku) {
      return result("price:" + sku);
    }

    @Override
    public String price(String sku, String currency) {
      return result("price:" + sku + ":" + currency);
    }

    @Override
    public void update(String sku, String price) {
      updates.incrementAndGet();
    }

    @Override
    public void updateOrFail(String sku, boolean fail) throws ServiceException {
      updates.incrementAndGet();
      if (fail) {
        throw new ServiceException("update of " + sku + " failed");
      }
    }

    @Override
    public void reset() {
      updates.incrementAndGet();
    }

    @Override
    public void reload(File source) {
      updates.incrementAndGet();
    }

    @Override
    public String view(String sku) {
      return result("view:" + sku);
    }

    @Override
    public String user(String name) {
      return result("user:" + name);
    }

    @Override
    public void rename(String name) {
      updates.incrementAndGet();
    }
  }

  public interface Orphan {
    @UCacheEvict(name = "nobody-caches-this")
    void drop(String key);
  }

  public interface Expiring {
    @UCache(ttl = "10m")
    String tenMinutes(String key);

    @UCache(ttl = "1s")
    String oneSecond(String key);

    @UCache(maxSize = 10)
    String bounded(int key);
  }

  private static final class ExpiringService extends Calls implements Expiring {
    @Override
    public String tenMinutes(String key) {
      return result("ten:" + key);
    }

    @Override
    public String oneSecond(String key) {
      return result("one:" + key);
    }

    @Override
    public String bounded(int key) {
      return result("bounded:" + key);
    }
  }

  // Services whose annotations are invalid: proxy() must refuse them.

  public interface VoidCached {
    @UCache
    void run(String key);
  }

  public interface KeyAndGenerator {
    @UCache(keyGenerator = LowerCaseKey.class)
    String get(@CacheKey String key, String other);
  }

  public interface BadTtl {
    @UCache(ttl = "10x")
    String get(String key);
  }

  public interface FileKey {
    @UCache
    String read(File file);
  }

  public interface FileBesideKey {
    @UCache
    String read(@CacheKey String id, File file);
  }

  public interface SameCacheTwice {
    @UCache(name = "same")
    @UCacheEvict(name = "same")
    String get(String key);
  }

  public interface ConflictingSettings {
    @UCache(name = "conflict", ttl = "1m")
    String a(String key);

    @UCache(name = "conflict", ttl = "2m")
    String b(String key);
  }

  public interface OtherEngine {
    @UCache(engine = "no-such-engine")
    String get(String key);
  }

  /** A class, not an interface: JDK proxies cannot stand in for it. */
  public static class ConcreteService {
    @UCache
    public String get(String key) {
      return key;
    }
  }

  /** Implements every invalid service, so that only the annotations can make proxy() fail. */
  private static final class Anything implements VoidCached, KeyAndGenerator, BadTtl, FileKey,
      FileBesideKey, SameCacheTwice, ConflictingSettings, OtherEngine, Orphan {
    final AtomicInteger count = new AtomicInteger();

    @Override
    public void run(String key) {
      count.incrementAndGet();
    }

    @Override
    public String get(String key, String other) {
      return key + other;
    }

    @Override
    public String get(String key) {
      return key;
    }

    @Override
    public String read(File file) {
      return file.getName();
    }

    @Override
    public String read(String id, File file) {
      return id + "#" + count.incrementAndGet();
    }

    @Override
    public String a(String key) {
      return key;
    }

    @Override
    public String b(String key) {
      return key;
    }

    @Override
    public void drop(String key) {
      count.incrementAndGet();
    }
  }

  // =============================================================================================

  /** Key parameters whose values may be equal without being {@code equals}. */
  public interface LooseKeys {
    @UCache(name = "loose-records")
    String byQuery(Query query);

    @UCache(name = "loose-blobs")
    String byBlobs(List<byte[]> blobs);

    @UCache(name = "loose-deque")
    String byDeque(java.util.ArrayDeque<Long> ids);

    @UCache(name = "loose-object")
    String byObject(Object anything);
  }

  /** A record with an array component: its {@code equals} compares the array by identity. */
  public record Query(String text, int[] pages) {}

  public interface BoxedEviction {
    @UCache(name = "boxed")
    String price(long sku);

    @UCacheEvict(name = "boxed")
    void update(Long sku);
  }

  public interface MixedValueTypes {
    @UCache(name = "mixed")
    String text(String key);

    @UCache(name = "mixed")
    Integer number(String key);
  }

  private static final class LooseService implements LooseKeys, BoxedEviction, MixedValueTypes {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public String byQuery(Query query) {
      runs.incrementAndGet();
      return query.text();
    }

    @Override
    public String byBlobs(List<byte[]> blobs) {
      runs.incrementAndGet();
      return "blobs:" + blobs.size();
    }

    @Override
    public String byDeque(java.util.ArrayDeque<Long> ids) {
      runs.incrementAndGet();
      return "ids:" + ids.size();
    }

    @Override
    public String byObject(Object anything) {
      runs.incrementAndGet();
      return String.valueOf(anything);
    }

    @Override
    public String price(long sku) {
      runs.incrementAndGet();
      return "price-" + sku + "-" + runs.get();
    }

    @Override
    public void update(Long sku) {}

    @Override
    public String text(String key) {
      return key;
    }

    @Override
    public Integer number(String key) {
      return key.length();
    }
  }

  @Nested
  class ContentKeys {

    @Test
    void call_equalArgumentsWhoseEqualsIsIdentity_hitByContent() {
      LooseService service = new LooseService();
      LooseKeys loose = proxy(LooseKeys.class, service);

      for (int i = 0; i < 3; i++) {
        loose.byQuery(new Query("q", new int[] {1, 2}));
        loose.byBlobs(List.of(new byte[] {1, 2}, new byte[] {3}));
        loose.byDeque(new java.util.ArrayDeque<>(List.of(1L, 2L)));
      }

      assertThat(service.runs).as("each method ran once, then hit three times").hasValue(3);
    }

    @Test
    void call_argumentWithoutCanonicalFormThroughObject_methodRunsUncachedWithoutFailing() {
      LooseService service = new LooseService();
      LooseKeys loose = proxy(LooseKeys.class, service);

      assertThat(loose.byObject(new StringBuilder("sb"))).isEqualTo("sb");
      assertThat(loose.byObject(new StringBuilder("sb"))).isEqualTo("sb");
      assertThat(service.runs).as("uncached, but never broken (fail-mode open)").hasValue(2);
      assertThat(loose.byObject("text")).isEqualTo("text");
      assertThat(loose.byObject("text")).isEqualTo("text");
      assertThat(service.runs).as("an encodable argument through Object is cached").hasValue(3);
    }

    @Test
    void evict_keyParameterBoxedOnOneSideOnly_stillEvicts() {
      LooseService service = new LooseService();
      BoxedEviction prices = proxy(BoxedEviction.class, service);
      String first = prices.price(7);

      prices.update(7L);

      assertThat(prices.price(7)).isNotEqualTo(first);
      assertThat(service.runs).hasValue(2);
    }

    @Test
    void proxy_twoMethodsOneCacheDifferentReturnTypes_failsNamingBoth() {
      assertThatThrownBy(() -> proxy(MixedValueTypes.class, new LooseService()))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("text(java.lang.String)")
          .hasMessageContaining("number(java.lang.String)");
    }
  }

  @Nested
  class Hits {

    @Test
    void call_sameArgumentsTwice_runsMethodOnceAndReturnsCachedValue() {
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);

      assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
      assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
      assertThat(service.count()).isOne();
    }

    @Test
    void call_differentArguments_runsMethodAgain() {
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);

      assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
      assertThat(catalog.describe("b")).isEqualTo("describe:b#2");
      assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
      assertThat(catalog.describe("b")).isEqualTo("describe:b#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_methodWithoutAnnotation_runsEveryTime() {
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);

      assertThat(catalog.uncached("a")).isEqualTo("uncached:a#1");
      assertThat(catalog.uncached("a")).isEqualTo("uncached:a#2");
    }

    @Test
    void call_nonPublicInterfaceWithStaticMethod_cachesAndCallsItsOtherMethods() {
      HiddenService service = new HiddenService();
      Hidden hidden = proxy(Hidden.class, service);

      assertThat(hidden.get("a")).isEqualTo("get:a#1");
      assertThat(hidden.get("a")).isEqualTo("get:a#1");
      assertThat(hidden.plain("a")).isEqualTo("plain:a#2");
      assertThat(hidden.plain("a")).isEqualTo("plain:a#3");
    }

    @Test
    void call_annotationOnImplementationMethod_caches() {
      AnnotatedGreeter service = new AnnotatedGreeter();
      Greeter greeter = proxy(Greeter.class, service);

      assertThat(greeter.greet("bob")).isEqualTo("annotated:bob#1");
      assertThat(greeter.greet("bob")).isEqualTo("annotated:bob#1");
      assertThat(service.count()).isOne();
    }

    @Test
    void call_twoImplementationsOnlyOneAnnotated_onlyAnnotatedOneCachesAndNoneSharesEntries() {
      UCacheInterceptor ucache = interceptor(newEngine());
      AnnotatedGreeter annotatedService = new AnnotatedGreeter();
      PlainGreeter plainService = new PlainGreeter();
      Greeter annotated = ucache.proxy(Greeter.class, annotatedService);
      Greeter plain = ucache.proxy(Greeter.class, plainService);

      assertThat(annotated.greet("bob")).isEqualTo("annotated:bob#1");
      assertThat(plain.greet("bob")).isEqualTo("plain:bob#1");
      assertThat(plain.greet("bob")).isEqualTo("plain:bob#2");
      assertThat(annotated.greet("bob")).isEqualTo("annotated:bob#1");
      assertThat(annotatedService.count()).isOne();
    }

    @Test
    void call_twoMethodsWithSameParametersOnOneCacheName_shareEntries() {
      // The key of a named cache is its name and the arguments, as in Spring.
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);

      assertThat(catalog.first("a", "b")).isEqualTo("first:a,b#1");
      assertThat(catalog.second("a", "b")).isEqualTo("first:a,b#1");
      assertThat(catalog.second("a", "c")).isEqualTo("second:a,c#2");
      assertThat(catalog.first("a", "c")).isEqualTo("second:a,c#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_overloadsOnOneCacheNameWithEqualArguments_shareEntries() {
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);
      CharSequence sameText = "k";

      assertThat(catalog.lookup("k")).isEqualTo("lookup(String):k#1");
      assertThat(catalog.lookup(sameText)).isEqualTo("lookup(String):k#1");
      assertThat(service.count()).isEqualTo(1);
    }

    @Test
    void call_overloadsWithDefaultNames_doNotCollide() {
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);

      assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
      assertThat(catalog.describe("a", 1)).isEqualTo("describe:a:1#2");
      assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
      assertThat(catalog.describe("a", 1)).isEqualTo("describe:a:1#2");
    }

    @Test
    void call_separatorInsideArguments_doesNotCollide() {
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);

      assertThat(catalog.join("a:b", "c")).isEqualTo("join:a:b,c#1");
      assertThat(catalog.join("a", "b:c")).isEqualTo("join:a,b:c#2");
      assertThat(catalog.join("a:b", "c")).isEqualTo("join:a:b,c#1");
      assertThat(catalog.join("a", "b:c")).isEqualTo("join:a,b:c#2");
    }

    @Test
    void call_nullArguments_cachedAndDistinctFromOtherArguments() {
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);

      assertThat(catalog.join(null, "x")).isEqualTo("join:null,x#1");
      assertThat(catalog.join(null, "x")).isEqualTo("join:null,x#1");
      assertThat(catalog.join("x", null)).isEqualTo("join:x,null#2");
      assertThat(catalog.join("null", "x")).isEqualTo("join:null,x#3");
      assertThat(catalog.join(null, null)).isEqualTo("join:null,null#4");
      assertThat(catalog.join(null, null)).isEqualTo("join:null,null#4");
      assertThat(service.count()).isEqualTo(4);
    }

    @Test
    void call_cacheKeySubsetAndOnlyOtherArgumentDiffers_hits() {
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);

      assertThat(catalog.render("a", "en")).isEqualTo("render:a:en#1");
      assertThat(catalog.render("a", "fr")).isEqualTo("render:a:en#1");
      assertThat(catalog.render("b", "en")).isEqualTo("render:b:en#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_keyGenerator_callsWithTheSameGeneratedKeyHit() {
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);

      assertThat(catalog.user("Bob")).isEqualTo("user:Bob#1");
      assertThat(catalog.user("BOB")).isEqualTo("user:Bob#1");
      assertThat(catalog.user("alice")).isEqualTo("user:alice#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_keyGeneratorOnMethodWithoutParameters_generatorKeyUsed() {
      CatalogService service = new CatalogService();
      Catalog catalog = proxy(Catalog.class, service);

      TenantKey.TENANT.set("a");
      assertThat(catalog.settings()).isEqualTo("settings:a#1");
      TenantKey.TENANT.set("b");
      assertThat(catalog.settings()).isEqualTo("settings:b#2");
      TenantKey.TENANT.set("a");
      assertThat(catalog.settings()).isEqualTo("settings:a#1");
      assertThat(service.count()).isEqualTo(2);
    }
  }

  // =============================================================================================

  @Nested
  class Arguments {

    @Test
    void call_equalIntArrays_hit() {
      ShapesService service = new ShapesService();
      Shapes shapes = proxy(Shapes.class, service);

      assertThat(shapes.sum(new int[] {1, 2})).isEqualTo("sum:3#1");
      assertThat(shapes.sum(new int[] {1, 2})).isEqualTo("sum:3#1");
      assertThat(shapes.sum(new int[] {2, 1})).isEqualTo("sum:3#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_equalStringArrays_hit() {
      ShapesService service = new ShapesService();
      Shapes shapes = proxy(Shapes.class, service);

      assertThat(shapes.words(new String[] {"a", "b"})).isEqualTo("words:a,b#1");
      assertThat(shapes.words(new String[] {"a", "b"})).isEqualTo("words:a,b#1");
      assertThat(shapes.words(new String[] {"a", "b", null})).isEqualTo("words:a,b,null#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_callerChangesItsArrayAfterTheCall_originalContentStillHits() {
      ShapesService service = new ShapesService();
      Shapes shapes = proxy(Shapes.class, service);
      int[] values = {1, 2};

      assertThat(shapes.sum(values)).isEqualTo("sum:3#1");
      values[0] = 9;

      assertThat(shapes.sum(new int[] {1, 2})).isEqualTo("sum:3#1");
      assertThat(shapes.sum(values)).isEqualTo("sum:11#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_callerChangesANestedArrayAfterTheCall_originalContentStillHits() {
      ShapesService service = new ShapesService();
      Shapes shapes = proxy(Shapes.class, service);
      int[][] cells = {{1}, {2}};

      assertThat(shapes.grid(cells)).isEqualTo("grid:2#1");
      cells[0][0] = 9;

      assertThat(shapes.grid(new int[][] {{1}, {2}})).isEqualTo("grid:2#1");
      assertThat(shapes.grid(cells)).isEqualTo("grid:2#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_arrayPassedAsObjectChangedAfterTheCall_originalContentStillHits() {
      ShapesService service = new ShapesService();
      Shapes shapes = proxy(Shapes.class, service);
      String[] words = {"a"};

      assertThat(shapes.any(words)).isEqualTo("any#1");
      words[0] = "z";

      assertThat(shapes.any(new String[] {"a"})).isEqualTo("any#1");
      assertThat(service.count()).isOne();
    }

    @Test
    void call_equalListsOfOtherClasses_hit() {
      ShapesService service = new ShapesService();
      Shapes shapes = proxy(Shapes.class, service);

      assertThat(shapes.list(List.of(1, 2))).isEqualTo("list:[1, 2]#1");
      assertThat(shapes.list(new ArrayList<>(List.of(1, 2)))).isEqualTo("list:[1, 2]#1");
      assertThat(shapes.list(List.of(2, 1))).isEqualTo("list:[2, 1]#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_setsWithSameContentInOtherInsertionOrder_hit() {
      ShapesService service = new ShapesService();
      Shapes shapes = proxy(Shapes.class, service);
      Set<String> forward = new HashSet<>(List.of("x", "y", "z"));
      Set<String> backward = new HashSet<>(64);
      backward.addAll(List.of("z", "y", "x"));
      Set<String> linkedBackward = new LinkedHashSet<>(List.of("z", "y", "x"));

      assertThat(shapes.set(forward)).isEqualTo("set:3#1");
      assertThat(shapes.set(backward)).isEqualTo("set:3#1");
      assertThat(shapes.set(linkedBackward)).isEqualTo("set:3#1");
      assertThat(shapes.set(Set.of("x", "y"))).isEqualTo("set:2#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_mapsWithSameContentInOtherOrder_hit() {
      ShapesService service = new ShapesService();
      Shapes shapes = proxy(Shapes.class, service);
      Map<String, Integer> forward = new LinkedHashMap<>();
      forward.put("a", 1);
      forward.put("b", 2);
      Map<String, Integer> backward = new LinkedHashMap<>();
      backward.put("b", 2);
      backward.put("a", 1);

      assertThat(shapes.map(forward)).isEqualTo("map:2#1");
      assertThat(shapes.map(backward)).isEqualTo("map:2#1");
      assertThat(shapes.map(Map.of("a", 1, "b", 3))).isEqualTo("map:2#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_equalRecords_hitByComponents() {
      ShapesService service = new ShapesService();
      Shapes shapes = proxy(Shapes.class, service);

      assertThat(shapes.point(new Point(1, 2))).isEqualTo("point:Point[x=1, y=2]#1");
      assertThat(shapes.point(new Point(1, 2))).isEqualTo("point:Point[x=1, y=2]#1");
      assertThat(shapes.point(new Point(2, 1))).isEqualTo("point:Point[x=2, y=1]#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_enums_hitForTheSameConstantOnly() {
      ShapesService service = new ShapesService();
      Shapes shapes = proxy(Shapes.class, service);

      assertThat(shapes.color(Color.RED)).isEqualTo("color:RED#1");
      assertThat(shapes.color(Color.RED)).isEqualTo("color:RED#1");
      assertThat(shapes.color(Color.GREEN)).isEqualTo("color:GREEN#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_parameterWithoutKeyFormOutsideTheKey_acceptedAndIgnored() {
      Anything service = new Anything();
      FileBesideKey files = proxy(FileBesideKey.class, service);

      assertThat(files.read("a", new File("x"))).isEqualTo("a#1");
      assertThat(files.read("a", new File("y"))).isEqualTo("a#1");
    }
  }

  // =============================================================================================

  @Nested
  class Sync {

    /** What one caller got: a value, or the exception its call threw. */
    private record Outcome(@Nullable String value, @Nullable Throwable failure) {}

    /**
     * Has {@link #CALLERS} threads make {@code call} together, releases the service once every
     * one of them is parked inside the call (running the method, or waiting for it), and
     * returns what each got.
     */
    private List<Outcome> callConcurrently(BlockingService service, Callable<String> call)
        throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
      try {
        CyclicBarrier start = new CyclicBarrier(CALLERS);
        CountDownLatch calling = new CountDownLatch(CALLERS);
        Set<Thread> callers = ConcurrentHashMap.newKeySet();
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
          calls.add(pool.submit(() -> {
            callers.add(Thread.currentThread());
            start.await();
            calling.countDown();
            return call.call();
          }));
        }
        await("the method is called", () -> service.count() > 0);
        await("every caller calls", () -> calling.getCount() == 0);
        awaitAllParked(callers);
        service.release.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<String> one : calls) {
          try {
            outcomes.add(new Outcome(join(one), null));
          } catch (ExecutionException e) {
            outcomes.add(new Outcome(null, e.getCause()));
          }
        }
        return outcomes;
      } finally {
        pool.shutdownNow();
        pool.awaitTermination(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    }

    /**
     * Waits until every caller has been parked (blocked or waiting) for a while without a break.
     * Each counted down its latch just before calling, so a parked caller is inside the call.
     */
    private void awaitAllParked(Set<Thread> callers) {
      long quietNanos = Duration.ofMillis(100).toNanos();
      AtomicLong parkedSince = new AtomicLong(System.nanoTime());
      await("every caller waits inside the call", () -> {
        boolean allParked = callers.size() == CALLERS && callers.stream().allMatch(thread ->
            switch (thread.getState()) {
              case BLOCKED, WAITING, TIMED_WAITING -> true;
              default -> false;
            });
        long now = System.nanoTime();
        if (!allParked) {
          parkedSince.set(now);
          return false;
        }
        return now - parkedSince.get() >= quietNanos;
      });
    }

    /** A proxy whose method and cache were used once already, so no caller waits for set-up. */
    private Blocking warmedUp(BlockingService service) throws ServiceException {
      Blocking blocking = proxy(Blocking.class, service);
      blocking.load("warm-up");
      blocking.loadUnsynced("warm-up");
      service.count.set(0);
      service.blocking = true;
      return blocking;
    }

    @Test
    void call_concurrentMissesOnOneKey_methodRunsOnceAndEveryCallerGetsItsValue()
        throws Exception {
      BlockingService service = new BlockingService();
      Blocking blocking = warmedUp(service);

      List<Outcome> outcomes = callConcurrently(service, () -> blocking.load("k"));

      assertThat(service.count()).as("method runs").isOne();
      assertThat(outcomes).hasSize(CALLERS).allSatisfy(outcome -> {
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.value()).isEqualTo("load:k#1");
      });
      assertThat(blocking.load("k")).isEqualTo("load:k#1");
      assertThat(service.count()).isOne();
    }

    @Test
    void call_concurrentMissesAndMethodThrowsCheckedException_everyCallerGetsItUnwrappedAndNothingIsCached()
        throws Exception {
      BlockingService service = new BlockingService();
      Blocking blocking = warmedUp(service);
      ServiceException failure = new ServiceException("backend down");
      service.failure = failure;

      List<Outcome> outcomes = callConcurrently(service, () -> blocking.load("k"));

      assertThat(service.count()).as("method runs").isOne();
      assertThat(outcomes).hasSize(CALLERS).allSatisfy(outcome ->
          assertThat(outcome.failure()).isSameAs(failure));
      service.failure = null;
      assertThat(blocking.load("k")).isEqualTo("load:k#2");
      assertThat(blocking.load("k")).isEqualTo("load:k#2");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_methodThrowsUncheckedException_callerGetsItUnchangedAndNothingIsCached() {
      BlockingService service = new BlockingService();
      Blocking blocking = proxy(Blocking.class, service);
      IllegalStateException failure = new IllegalStateException("bad state");
      service.uncheckedFailure = failure;

      assertThatThrownBy(() -> blocking.loadUnchecked("k")).isSameAs(failure);
      assertThatThrownBy(() -> blocking.loadUnchecked("k")).isSameAs(failure);
      service.uncheckedFailure = null;

      assertThat(blocking.loadUnchecked("k")).isEqualTo("unchecked:k#3");
      assertThat(blocking.loadUnchecked("k")).isEqualTo("unchecked:k#3");
      assertThat(service.count()).isEqualTo(3);
    }

    @Test
    void call_syncOffAndConcurrentMisses_everyCallerGetsARightValueAndOneIsCached()
        throws Exception {
      BlockingService service = new BlockingService();
      Blocking blocking = warmedUp(service);

      List<Outcome> outcomes = callConcurrently(service, () -> blocking.loadUnsynced("k"));

      int runs = service.count();
      assertThat(runs).isBetween(1, CALLERS);
      assertThat(outcomes).hasSize(CALLERS).allSatisfy(outcome -> {
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.value()).matches("unsynced:k#([1-9]|1[0-6])");
      });
      Set<String> returned = outcomes.stream().map(Outcome::value).collect(Collectors.toSet());
      assertThat(returned).contains(blocking.loadUnsynced("k"));
      assertThat(service.count()).isEqualTo(runs);
    }
  }

  // =============================================================================================

  @Nested
  class Futures {

    @Test
    void fetch_callersWhileFirstFutureIncomplete_shareOneInvocationAndItsValue() throws Exception {
      AsyncService service = new AsyncService();
      Async async = proxy(Async.class, service);

      CompletableFuture<String> first = async.fetch("k");
      CompletableFuture<String> second = async.fetch("k");
      CompletableFuture<String> third = async.fetch("k");

      assertThat(service.count()).isOne();
      assertThat(List.of(first, second, third)).noneMatch(CompletableFuture::isDone);
      service.started(0).complete("v");
      assertThat(join(first)).isEqualTo("v");
      assertThat(join(second)).isEqualTo("v");
      assertThat(join(third)).isEqualTo("v");
      CompletableFuture<String> later = async.fetch("k");
      assertThat(later).isCompletedWithValue("v");
      assertThat(service.count()).isOne();
    }

    @Test
    void fetch_concurrentCallersOnManyThreads_methodInvokedOnce() throws Exception {
      AsyncService service = new AsyncService();
      Async async = proxy(Async.class, service);
      ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
      List<CompletableFuture<String>> results = new CopyOnWriteArrayList<>();
      try {
        CyclicBarrier start = new CyclicBarrier(CALLERS);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
          calls.add(pool.submit(() -> {
            start.await();
            results.add(async.fetch("k"));
            return null;
          }));
        }
        for (Future<?> call : calls) {
          join(call);
        }
      } finally {
        pool.shutdownNow();
        pool.awaitTermination(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
      }

      assertThat(service.count()).isOne();
      service.started(0).complete("v");
      assertThat(results).hasSize(CALLERS).allSatisfy(result ->
          assertThat(join(result)).isEqualTo("v"));
    }

    @Test
    void fetch_futureFails_failureNotCachedAndNextCallInvokesAgain() throws Exception {
      AsyncService service = new AsyncService();
      Async async = proxy(Async.class, service);
      ServiceException failure = new ServiceException("backend down");

      CompletableFuture<String> failed = async.fetch("k");
      service.started(0).completeExceptionally(failure);

      assertThatThrownBy(() -> join(failed)).isInstanceOf(ExecutionException.class)
          .cause().isSameAs(failure);
      CompletableFuture<String> retried = async.fetch("k");
      assertThat(service.count()).isEqualTo(2);
      service.started(1).complete("v");
      assertThat(join(retried)).isEqualTo("v");
      assertThat(async.fetch("k")).isCompletedWithValue("v");
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void fetch_oneCallerCancelsItsFuture_otherCallersAndTheMethodsFutureUnaffected()
        throws Exception {
      AsyncService service = new AsyncService();
      Async async = proxy(Async.class, service);

      CompletableFuture<String> cancelled = async.fetch("k");
      CompletableFuture<String> kept = async.fetch("k");
      cancelled.cancel(true);

      assertThat(kept).isNotDone();
      assertThat(service.started(0)).isNotDone();
      service.started(0).complete("v");
      assertThat(join(kept)).isEqualTo("v");
      assertThatThrownBy(() -> join(cancelled)).isInstanceOf(CancellationException.class);
      assertThat(async.fetch("k")).isCompletedWithValue("v");
      assertThat(service.count()).isOne();
    }

    @Test
    void fetch_contextClosedBeforeFutureCompletes_callersStillGetTheValue() throws Exception {
      AsyncService service = new AsyncService();
      Async async = proxy(Async.class, service);
      CompletableFuture<String> inContext;

      try (EngineContext context = EngineContext.open(baseConfig().build(), manager())) {
        inContext = async.fetch("k");
        assertThat(context.engine().isClosed()).isFalse();
      }
      service.started(0).complete("v");

      assertThat(join(inContext)).isEqualTo("v");
      CompletableFuture<String> outside = async.fetch("k");
      assertThat(service.count()).as("the flight ended with the context's future").isEqualTo(2);
      service.started(1).complete("w");
      assertThat(join(outside)).isEqualTo("w");
    }

    @Test
    void fetch_inFlightWhileAnotherEngineServedACall_laterCallersStillShareIt() throws Exception {
      AsyncService service = new AsyncService();
      Async async = proxy(Async.class, service);

      CompletableFuture<String> first = async.fetch("k");
      try (EngineContext context = EngineContext.open(baseConfig().build(), manager())) {
        CompletableFuture<String> other = async.fetch("other");
        assertThat(context.engine().cacheNames())
            .contains(defaultName(Async.class, "fetch", String.class));
        service.started(1).complete("o");
        assertThat(join(other)).isEqualTo("o");
      }
      CompletableFuture<String> second = async.fetch("k");

      assertThat(service.count()).isEqualTo(2);
      service.started(0).complete("v");
      assertThat(join(first)).isEqualTo("v");
      assertThat(join(second)).isEqualTo("v");
    }
  }

  // =============================================================================================

  @Nested
  class Nulls {

    @Test
    void find_presentOptional_cachedUnwrappedAndReturnedWrapped() {
      CacheEngine engine = newEngine();
      MaybeService service = new MaybeService();
      Maybe maybe = interceptor(engine).proxy(Maybe.class, service);

      assertThat(maybe.find("k")).contains("find:k#1");
      assertThat(maybe.find("k")).contains("find:k#1");
      assertThat(service.count()).isOne();
      Cache<?, ?> cache = cacheIn(engine, defaultName(Maybe.class, "find", String.class),
          String.class);
      assertThat(values(cache)).containsExactly("find:k#1");
    }

    @Test
    void find_emptyOptionalByDefault_notCachedAndMethodRunsAgain() {
      MaybeService service = new MaybeService();
      Maybe maybe = proxy(Maybe.class, service);

      assertThat(maybe.find("missing")).isEmpty();
      assertThat(maybe.find("missing")).isEmpty();
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void find_emptyOptionalWithNullValuesOn_cachedAndMethodRunsOnce() {
      MaybeService service = new MaybeService();
      Maybe maybe = proxy(Maybe.class, service);

      assertThat(maybe.findCachingEmpty("missing")).isEmpty();
      assertThat(maybe.findCachingEmpty("missing")).isEmpty();
      assertThat(service.count()).isOne();
      assertThat(maybe.findCachingEmpty("k")).contains("find:k#2");
      assertThat(maybe.findCachingEmpty("k")).contains("find:k#2");
    }

    @Test
    void call_nullResultByDefault_notCachedAndMethodRunsAgain() {
      MaybeService service = new MaybeService();
      Maybe maybe = proxy(Maybe.class, service);

      assertThat(maybe.nullable("missing")).isNull();
      assertThat(maybe.nullable("missing")).isNull();
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_nullResultWithNullValuesOn_cachedAndMethodRunsOnce() {
      MaybeService service = new MaybeService();
      Maybe maybe = proxy(Maybe.class, service);

      assertThat(maybe.nullableCachingNull("missing")).isNull();
      assertThat(maybe.nullableCachingNull("missing")).isNull();
      assertThat(service.count()).isOne();
    }

    @Test
    void call_engineCachesNulls_unsetAttributeInheritsItAndOffOverridesIt() {
      MaybeService service = new MaybeService();
      Maybe maybe = interceptor(newEngine(config -> config.nullValues(true)))
          .proxy(Maybe.class, service);

      assertThat(maybe.nullable("missing")).isNull();
      assertThat(maybe.nullable("missing")).isNull();
      assertThat(service.count()).as("inherited: null cached").isOne();
      assertThat(maybe.nullableNeverCachingNull("missing")).isNull();
      assertThat(maybe.nullableNeverCachingNull("missing")).isNull();
      assertThat(service.count()).as("OFF: null not cached").isEqualTo(3);
    }
  }

  // =============================================================================================

  @Nested
  class Contexts {

    private final String describeName = defaultName(Catalog.class, "describe", String.class);

    @Test
    void name_default_isDeclaringClassMethodAndParameterTypes() {
      assertThat(describeName)
          .isEqualTo("io.ucache.testkit.UCacheContract$Catalog.describe(java.lang.String)");
      CacheEngine engine = newEngine();
      interceptor(engine).proxy(Catalog.class, new CatalogService()).describe("a");

      assertThat(engine.cacheNames()).contains(describeName);
      assertThat(entries(engine, describeName, String.class)).isOne();
    }

    @Test
    void call_insideEngineContext_usesTheContextsEngineThenTheInterceptorsAfterIt() {
      CacheEngine engine = newEngine();
      CatalogService service = new CatalogService();
      Catalog catalog = interceptor(engine).proxy(Catalog.class, service);

      try (EngineContext context = EngineContext.open(baseConfig().build(), manager())) {
        assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
        assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
        assertThat(context.engine().cacheNames()).contains(describeName);
        assertThat(entries(context.engine(), describeName, String.class)).isOne();
        assertThat(entries(engine, describeName, String.class)).isZero();
      }

      assertThat(catalog.describe("a")).isEqualTo("describe:a#2");
      assertThat(catalog.describe("a")).isEqualTo("describe:a#2");
      assertThat(entries(engine, describeName, String.class)).isOne();
      assertThat(service.count()).isEqualTo(2);
    }

    @Test
    void call_nestedContexts_useInnerThenOuterThenTheInterceptorsEngine() {
      CacheEngine engine = newEngine();
      CatalogService service = new CatalogService();
      Catalog catalog = interceptor(engine).proxy(Catalog.class, service);

      try (EngineContext outer = EngineContext.open(baseConfig().build(), manager())) {
        assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
        try (EngineContext inner = EngineContext.open(baseConfig().build(), manager())) {
          assertThat(catalog.describe("a")).isEqualTo("describe:a#2");
          assertThat(catalog.describe("a")).isEqualTo("describe:a#2");
          assertThat(entries(inner.engine(), describeName, String.class)).isOne();
        }
        assertThat(catalog.describe("a")).as("the outer engine's entry").isEqualTo("describe:a#1");
        assertThat(entries(outer.engine(), describeName, String.class)).isOne();
      }
      assertThat(entries(engine, describeName, String.class)).isZero();

      assertThat(catalog.describe("a")).isEqualTo("describe:a#3");
      assertThat(catalog.describe("a")).isEqualTo("describe:a#3");
      assertThat(service.count()).isEqualTo(3);
    }

    @Test
    void call_insideEngineContext_unsetAttributesComeFromTheContextsConfig() {
      MaybeService service = new MaybeService();
      Maybe maybe = proxy(Maybe.class, service);

      try (EngineContext context =
          EngineContext.open(baseConfig().nullValues(true).build(), manager())) {
        assertThat(context.config().nullValues()).isTrue();
        assertThat(maybe.nullable("missing")).isNull();
        assertThat(maybe.nullable("missing")).isNull();
        assertThat(service.count()).as("null cached inside").isOne();
      }
      assertThat(maybe.nullable("missing")).isNull();
      assertThat(maybe.nullable("missing")).isNull();
      assertThat(service.count()).as("null not cached outside").isEqualTo(3);
    }

    @Test
    void proxy_annotationNamesAnotherEngineThanTheGivenOne_failsNamingTheMethod() {
      UCacheInterceptor ucache = interceptor(newEngine());

      assertThatThrownBy(() -> ucache.proxy(OtherEngine.class, new Anything()))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining(defaultName(OtherEngine.class, "get", String.class))
          .hasMessageContaining("no-such-engine");
    }
  }

  // =============================================================================================

  @Nested
  class Evictions {

    @Test
    void evict_methodReturned_removesTheEntryOfTheMatchingMethodForThoseArgumentsOnly() {
      PricesService service = new PricesService();
      Prices prices = proxy(Prices.class, service);
      assertThat(prices.price("a")).isEqualTo("price:a#1");
      assertThat(prices.price("b")).isEqualTo("price:b#2");
      assertThat(prices.price("a", "eur")).isEqualTo("price:a:eur#3");

      prices.update("a", "10");

      assertThat(service.updates).hasValue(1);
      assertThat(prices.price("a")).isEqualTo("price:a#4");
      assertThat(prices.price("b")).isEqualTo("price:b#2");
      assertThat(prices.price("a", "eur")).as("other key types").isEqualTo("price:a:eur#3");
    }

    @Test
    void evict_methodThrows_entryKept() throws Exception {
      PricesService service = new PricesService();
      Prices prices = proxy(Prices.class, service);
      assertThat(prices.price("a")).isEqualTo("price:a#1");

      assertThatThrownBy(() -> prices.updateOrFail("a", true))
          .isInstanceOf(ServiceException.class);

      assertThat(prices.price("a")).isEqualTo("price:a#1");
      prices.updateOrFail("a", false);
      assertThat(prices.price("a")).isEqualTo("price:a#2");
    }

    @Test
    void evict_allEntries_clearsTheWholeCache() {
      PricesService service = new PricesService();
      Prices prices = proxy(Prices.class, service);
      prices.price("a");
      prices.price("b");
      prices.price("a", "eur");

      prices.reset();

      assertThat(prices.price("a")).isEqualTo("price:a#4");
      assertThat(prices.price("b")).isEqualTo("price:b#5");
      assertThat(prices.price("a", "eur")).isEqualTo("price:a:eur#6");
    }

    @Test
    void evict_allEntriesWithParameterWithoutKeyForm_clearsTheWholeCache() {
      PricesService service = new PricesService();
      Reloads prices = proxy(Reloads.class, service);
      prices.price("a");

      prices.reload(new File("prices.csv"));

      assertThat(service.updates).hasValue(1);
      assertThat(prices.price("a")).isEqualTo("price:a#2");
    }

    @Test
    void call_methodBothCachedAndEvicting_evictsAfterEachCall() {
      PricesService service = new PricesService();
      Views prices = proxy(Views.class, service);
      assertThat(prices.price("a")).isEqualTo("price:a#1");

      assertThat(prices.view("a")).isEqualTo("view:a#2");

      assertThat(prices.price("a")).isEqualTo("price:a#3");
      assertThat(prices.view("a")).as("cached").isEqualTo("view:a#2");
      assertThat(prices.price("a")).as("evicted again").isEqualTo("price:a#4");
    }

    @Test
    void evict_cacheKeyedByAGenerator_removesTheGeneratedKey() {
      PricesService service = new PricesService();
      Users users = proxy(Users.class, service);
      assertThat(users.user("Bob")).isEqualTo("user:Bob#1");
      assertThat(users.user("bob")).isEqualTo("user:Bob#1");

      users.rename("BOB");

      assertThat(users.user("bob")).isEqualTo("user:bob#2");
    }

    @Test
    void evict_noUCacheMethodOfThatCache_methodStillRunsAndReturnsNormally() {
      // The method has run by the time the eviction is tried: its call must not fail after the
      // fact. The interceptor logs a warning instead.
      Anything service = new Anything();
      Orphan orphan = proxy(Orphan.class, service);

      orphan.drop("k");
      orphan.drop("k");

      assertThat(service.count).hasValue(2);
    }
  }

  // =============================================================================================

  @Nested
  class Limits {

    @Test
    void call_ttlElapsed_entryExpiresAndMethodRunsAgain() {
      ExpiringService service = new ExpiringService();
      if (supportsTicker()) {
        FakeTicker ticker = new FakeTicker();
        Expiring expiring = interceptor(newEngine(config -> config.ticker(ticker)))
            .proxy(Expiring.class, service);
        assertThat(expiring.tenMinutes("k")).isEqualTo("ten:k#1");

        ticker.advance(Duration.ofMinutes(9));
        assertThat(expiring.tenMinutes("k")).isEqualTo("ten:k#1");
        ticker.advance(Duration.ofMinutes(2));
        assertThat(expiring.tenMinutes("k")).isEqualTo("ten:k#2");
        assertThat(expiring.tenMinutes("k")).isEqualTo("ten:k#2");
        return;
      }
      Expiring expiring = proxy(Expiring.class, service);
      long start = System.nanoTime();
      assertThat(expiring.oneSecond("k")).isEqualTo("one:k#1");
      String again = expiring.oneSecond("k");
      if (System.nanoTime() - start < Duration.ofMillis(500).toNanos()) {
        assertThat(again).as("well within the ttl").isEqualTo("one:k#1");
      }
      await("the entry expires and the method runs again",
          () -> expiring.oneSecond("k").equals("one:k#" + service.count()) && service.count() > 1);
    }

    @Test
    void call_farBeyondMaxSize_cacheHoldsAtMostMaxSize() {
      CacheEngine engine = newEngine();
      ExpiringService service = new ExpiringService();
      Expiring expiring = interceptor(engine).proxy(Expiring.class, service);
      String name = defaultName(Expiring.class, "bounded", int.class);

      for (int i = 0; i < 1_000; i++) {
        assertThat(expiring.bounded(i)).isEqualTo("bounded:" + i + "#" + (i + 1));
      }

      assertThat(service.count()).isEqualTo(1_000);
      await("at most 10 entries remain", () -> entries(engine, name, String.class) <= 10);
    }
  }

  // =============================================================================================

  @Nested
  class ParseErrors {

    private void assertRefused(Class<?> type, String method, Class<?>... parameters) {
      @SuppressWarnings("unchecked")
      Class<Object> anyType = (Class<Object>) type;
      UCacheInterceptor ucache = interceptor(newEngine());

      Throwable thrown = catchThrowable(() -> ucache.proxy(anyType, new Anything()));

      assertThat(thrown).isInstanceOf(CacheConfigException.class)
          .hasMessageContaining(defaultName(type, method, parameters));
    }

    @Test
    void proxy_ucacheOnVoidMethod_failsNamingTheMethod() {
      assertRefused(VoidCached.class, "run", String.class);
    }

    @Test
    void proxy_cacheKeyCombinedWithKeyGenerator_failsNamingTheMethod() {
      assertRefused(KeyAndGenerator.class, "get", String.class, String.class);
    }

    @Test
    void proxy_invalidTtl_failsNamingTheMethod() {
      assertRefused(BadTtl.class, "get", String.class);
    }

    @Test
    void proxy_keyParameterWithoutCanonicalForm_failsNamingTheMethod() {
      assertRefused(FileKey.class, "read", File.class);
    }

    @Test
    void proxy_ucacheAndUCacheEvictOnTheSameCache_failsNamingTheMethod() {
      assertRefused(SameCacheTwice.class, "get", String.class);
    }

    @Test
    void proxy_methodsSharingACacheWithOtherSettings_failsNamingAMethod() {
      UCacheInterceptor ucache = interceptor(newEngine());

      assertThatThrownBy(() -> ucache.proxy(ConflictingSettings.class, new Anything()))
          .isInstanceOf(CacheConfigException.class)
          .hasMessageContaining("conflict")
          .hasMessageContaining(ConflictingSettings.class.getName() + ".");
    }

    @Test
    void proxy_class_throwsIllegalArgumentException() {
      UCacheInterceptor ucache = interceptor(newEngine());

      assertThatThrownBy(() -> ucache.proxy(ConcreteService.class, new ConcreteService()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(ConcreteService.class.getName());
    }
  }

  // =============================================================================================

  @Nested
  class Lifecycle {

    /**
     * A manager over one provider that starts the engine under test through {@link #manager()}
     * and records every engine it starts.
     */
    private EngineManager recording(List<CacheEngine> started) {
      String engineName = baseConfig().build().engine()
          .orElseThrow(() -> new AssertionError("baseConfig() must name the engine under test"));
      EngineInfo info = manager().engine(engineName)
          .orElseThrow(() -> new AssertionError("engine " + engineName + " is not installed"));
      return EngineManager.of(new EngineProvider() {
        @Override
        public String name() {
          return engineName;
        }

        @Override
        public Set<Capability> capabilities() {
          return info.capabilities();
        }

        @Override
        public int priority() {
          return info.priority();
        }

        @Override
        public Availability availability() {
          return Availability.yes();
        }

        @Override
        public CacheEngine create(CacheConfig config) {
          CacheEngine engine = manager().create(config);
          started.add(engine);
          resources.add(engine);
          return engine;
        }
      });
    }

    @Test
    void call_afterInterceptorClosed_throwsIllegalStateException() {
      CacheEngine engine = newEngine();
      UCacheInterceptor ucache = interceptor(engine);
      CatalogService service = new CatalogService();
      Catalog catalog = ucache.proxy(Catalog.class, service);
      catalog.describe("a");

      ucache.close();

      assertThatThrownBy(() -> catalog.describe("a")).isInstanceOf(IllegalStateException.class);
      assertThat(engine.isClosed()).as("a given engine stays the caller's").isFalse();
      assertThat(service.count()).isOne();
    }

    @Test
    void close_usingManager_closesTheEnginesItStartedAndLaterCallsThrow() {
      List<CacheEngine> started = new CopyOnWriteArrayList<>();
      UCacheInterceptor ucache = UCacheInterceptor.using(recording(started), baseConfig().build());
      resources.add(ucache);
      CatalogService service = new CatalogService();
      Catalog catalog = ucache.proxy(Catalog.class, service);
      assertThat(started).as("engines start on first use").isEmpty();

      assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
      assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
      assertThat(started).hasSize(1);
      assertThat(started.get(0).isClosed()).isFalse();

      ucache.close();
      ucache.close();

      assertThat(started.get(0).isClosed()).isTrue();
      assertThatThrownBy(() -> catalog.describe("a")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void call_freshInterceptorAfterAnotherClosed_worksWhileTheOldOneThrows() {
      UCacheInterceptor old = UCacheInterceptor.create();
      resources.add(old);
      Catalog oldCatalog = old.proxy(Catalog.class, new CatalogService());
      old.close();
      List<CacheEngine> started = new CopyOnWriteArrayList<>();
      UCacheInterceptor fresh = UCacheInterceptor.using(recording(started), baseConfig().build());
      resources.add(fresh);
      CatalogService service = new CatalogService();
      Catalog catalog = fresh.proxy(Catalog.class, service);

      assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
      assertThat(catalog.describe("a")).isEqualTo("describe:a#1");
      assertThatThrownBy(() -> oldCatalog.describe("a"))
          .isInstanceOf(IllegalStateException.class);
      assertThat(started).hasSize(1);
    }
  }
}
