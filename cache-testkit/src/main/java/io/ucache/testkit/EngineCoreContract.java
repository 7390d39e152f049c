package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.AsyncCache;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheLoader;
import io.ucache.CacheStats;
import io.ucache.annotation.CacheKey;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.interceptor.UCacheInterceptor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guarantees the cache template ({@code io.ucache.spi.AbstractCache}) gives every engine,
 * each proven with a controlled interleaving: a loader held on a latch while the test evicts,
 * clears or writes, then released. {@link CacheEngineContract} runs it on every engine as its
 * nested {@code Core} group; a suite of its own extends it and says how to start an engine.
 *
 * <ul>
 *   <li>an eviction, clear or map removal racing a load wins: the load's callers get its value,
 *       but it is not kept (a balance read 100 after a deposit made it 150 and evicted it);
 *   <li>a put racing a load wins: the put's value stays;
 *   <li>the same for {@code @UCache} methods, single-flight or not, plain or returning a future:
 *       an {@code @UCacheEvict} while the method runs is not undone by its result;
 *   <li>one logical operation counts once: one miss per missed {@code get(key, loader)}, sync or
 *       async;
 *   <li>after close, every asynchronous method fails its future, and a load that ends after
 *       close leaves nothing a later read could find.
 * </ul>
 */
public abstract class EngineCoreContract {

  /** Upper bound on any wait here; the interleavings are driven by latches, not by time. */
  private static final long WAIT_SECONDS = 30;

  private final ExecutorService callers = Executors.newCachedThreadPool();
  private final List<UCacheInterceptor> interceptors = new CopyOnWriteArrayList<>();

  /** For subclasses. */
  protected EngineCoreContract() {}

  /** Starts an engine of the kind under test, changed by {@code customize}; closed by the suite. */
  protected abstract CacheEngine newEngine(UnaryOperator<CacheConfig.Builder> customize);

  @AfterEach
  final void stopCallers() {
    callers.shutdownNow();
    interceptors.forEach(UCacheInterceptor::close);
  }

  private Cache<String, String> newCache(UnaryOperator<CacheConfig.Builder> customize) {
    return newEngine(customize).cache(CacheEngineContract.uniqueName("core"), String.class,
        String.class);
  }

  private Cache<String, String> newCache() {
    return newCache(builder -> builder.stats(true));
  }

  /** Every way to remove an entry that must win over a load in flight. */
  public enum Removal {
    EVICT((cache, key) -> cache.evict(key)),
    EVICT_ALL((cache, key) -> cache.evictAll(List.of(key, key + "-other"))),
    CLEAR((cache, key) -> cache.clear()),
    MAP_REMOVE((cache, key) -> cache.asMap().remove(key)),
    ASYNC_EVICT((cache, key) -> cache.async().evict(key).join()),
    ASYNC_CLEAR((cache, key) -> cache.async().clear().join());

    private final BiConsumer<Cache<String, String>, String> remove;

    Removal(BiConsumer<Cache<String, String>, String> remove) {
      this.remove = remove;
    }
  }

  /** A loader that says it started, then waits to be released, then returns {@code value}. */
  private static final class HeldLoader implements CacheLoader<String, String> {
    final CountDownLatch started = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final String value;

    HeldLoader(String value) {
      this.value = value;
    }

    @Override
    public String load(String key) throws InterruptedException {
      started.countDown();
      assertThat(release.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("released").isTrue();
      return value;
    }

    void awaitStarted() throws InterruptedException {
      assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("loader started").isTrue();
    }
  }

  private <T> T finish(Future<T> call) throws Exception {
    return call.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  // --- an eviction racing a load wins

  @ParameterizedTest
  @EnumSource(Removal.class)
  void getWithLoader_removedWhileLoading_callersGetTheValueButItIsNotKept(Removal removal)
      throws Exception {
    Cache<String, String> cache = newCache();
    HeldLoader loader = new HeldLoader("balance=100");
    Future<String> caller = callers.submit(() -> cache.get("account", loader));
    loader.awaitStarted();

    removal.remove.accept(cache, "account"); // a deposit made it 150 and evicted it
    loader.release.countDown();

    assertThat(finish(caller)).isEqualTo("balance=100");
    assertThat(cache.get("account")).as("the value loaded before the eviction").isNull();
  }

  @ParameterizedTest
  @EnumSource(Removal.class)
  void asyncGetWithLoader_removedWhileLoading_valueNotKept(Removal removal) throws Exception {
    Cache<String, String> cache = newCache();
    HeldLoader loader = new HeldLoader("balance=100");
    CompletableFuture<String> caller = cache.async().get("account", loader);
    loader.awaitStarted();

    removal.remove.accept(cache, "account");
    loader.release.countDown();

    assertThat(caller.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("balance=100");
    assertThat(cache.get("account")).isNull();
  }

  @ParameterizedTest
  @EnumSource(Removal.class)
  void getAllWithBulkLoader_removedWhileLoading_removedKeyNotKept(Removal removal)
      throws Exception {
    Cache<String, String> cache = newCache();
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<Map<String, String>> caller = callers.submit(() -> cache.getAll(
        List.of("account", "savings"), keys -> {
          started.countDown();
          assertThat(release.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
          return Map.of("account", "balance=100", "savings", "balance=7");
        }));
    assertThat(started.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

    removal.remove.accept(cache, "account");
    release.countDown();

    assertThat(finish(caller)).containsEntry("account", "balance=100");
    assertThat(cache.get("account")).isNull();
  }

  @Test
  void getWithLoader_putWhileLoading_thePutValueStays() throws Exception {
    Cache<String, String> cache = newCache();
    HeldLoader loader = new HeldLoader("balance=100");
    Future<String> caller = callers.submit(() -> cache.get("account", loader));
    loader.awaitStarted();

    cache.put("account", "balance=150");
    loader.release.countDown();

    finish(caller);
    assertThat(cache.get("account")).isEqualTo("balance=150");
  }

  @Test
  void getWithLoader_noRaceAfterAnEarlierEviction_valueIsKept() throws Exception {
    Cache<String, String> cache = newCache();
    cache.put("account", "old");
    cache.evict("account");

    assertThat(cache.get("account", key -> "fresh")).isEqualTo("fresh");

    assertThat(cache.get("account")).as("an eviction before the load does not undo it")
        .isEqualTo("fresh");
  }

  // --- @UCache calls that run their method themselves: an eviction during the call wins too

  /**
   * A bank whose balance reads say they started, then wait for a release: a deposit (which
   * evicts the balance) can come while a read is in flight. One pair of methods per way a
   * {@code @UCache} call runs its method: single-flight, not, and returning a future either way.
   */
  public interface Bank {
    @UCache(name = "core-bank-sync")
    Long balance(String account);

    @UCacheEvict(name = "core-bank-sync")
    void deposit(@CacheKey String account, long amount);

    @UCache(name = "core-bank-unsynced", sync = false)
    Long balanceUnsynced(String account);

    @UCacheEvict(name = "core-bank-unsynced")
    void depositUnsynced(@CacheKey String account, long amount);

    @UCache(name = "core-bank-future")
    CompletableFuture<Long> balanceLater(String account);

    @UCacheEvict(name = "core-bank-future")
    void depositLater(@CacheKey String account, long amount);

    @UCache(name = "core-bank-future-unsynced", sync = false)
    CompletableFuture<Long> balanceLaterUnsynced(String account);

    @UCacheEvict(name = "core-bank-future-unsynced")
    void depositLaterUnsynced(@CacheKey String account, long amount);
  }

  /** The ways a {@code @UCache} method's call races a deposit. */
  public enum BankCall {
    SYNC(Bank::balance, Bank::deposit),
    UNSYNCED(Bank::balanceUnsynced, Bank::depositUnsynced),
    FUTURE((bank, account) -> bank.balanceLater(account).join(), Bank::depositLater),
    FUTURE_UNSYNCED((bank, account) -> bank.balanceLaterUnsynced(account).join(),
        Bank::depositLaterUnsynced);

    private final BiFunction<Bank, String, Long> read;
    private final Deposit deposit;

    BankCall(BiFunction<Bank, String, Long> read, Deposit deposit) {
      this.read = read;
      this.deposit = deposit;
    }
  }

  /** {@code deposit(bank, account, amount)}. */
  @FunctionalInterface
  public interface Deposit {
    void deposit(Bank bank, String account, long amount);
  }

  private static final class HeldBank implements Bank {
    final ConcurrentHashMap<String, Long> balances = new ConcurrentHashMap<>();
    volatile CountDownLatch reading = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(1);

    private Long read(String account) {
      long balance = balances.getOrDefault(account, 0L);
      reading.countDown();
      try {
        assertThat(release.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("released").isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      return balance;
    }

    private void credit(String account, long amount) {
      balances.merge(account, amount, Long::sum);
    }

    @Override
    public Long balance(String account) {
      return read(account);
    }

    @Override
    public void deposit(String account, long amount) {
      credit(account, amount);
    }

    @Override
    public Long balanceUnsynced(String account) {
      return read(account);
    }

    @Override
    public void depositUnsynced(String account, long amount) {
      credit(account, amount);
    }

    @Override
    public CompletableFuture<Long> balanceLater(String account) {
      return CompletableFuture.supplyAsync(() -> read(account));
    }

    @Override
    public void depositLater(String account, long amount) {
      credit(account, amount);
    }

    @Override
    public CompletableFuture<Long> balanceLaterUnsynced(String account) {
      return CompletableFuture.supplyAsync(() -> read(account));
    }

    @Override
    public void depositLaterUnsynced(String account, long amount) {
      credit(account, amount);
    }
  }

  @ParameterizedTest
  @EnumSource(BankCall.class)
  void uCacheCall_evictingDepositWhileTheMethodRuns_nextCallSeesTheDeposit(BankCall call)
      throws Exception {
    HeldBank target = new HeldBank();
    target.balances.put("acct", 100L);
    UCacheInterceptor interceptor = UCacheInterceptor.using(newEngine(builder -> builder));
    interceptors.add(interceptor);
    Bank bank = interceptor.proxy(Bank.class, target);

    Future<Long> first = callers.submit(() -> call.read.apply(bank, "acct"));
    assertThat(target.reading.await(WAIT_SECONDS, TimeUnit.SECONDS)).as("read started").isTrue();
    call.deposit.deposit(bank, "acct", 50); // the balance is 150 now, and evicted
    target.release.countDown();

    assertThat(finish(first)).as("the read that began before the deposit").isEqualTo(100L);
    target.reading = new CountDownLatch(1);
    assertThat(call.read.apply(bank, "acct")).as("the next read").isEqualTo(150L);
  }

  // --- one logical operation counts once

  @Test
  void getWithLoader_miss_countsOneMissAndOneLoad() {
    Cache<String, String> cache = newCache();

    cache.get("k", key -> "v");

    CacheStats stats = cache.stats();
    assertThat(stats.missCount()).isOne();
    assertThat(stats.loadSuccessCount()).isOne();
    assertThat(stats.hitCount()).isZero();
  }

  @Test
  void asyncGetWithLoader_miss_countsOneMissAndOneLoad() throws Exception {
    Cache<String, String> cache = newCache();

    cache.async().get("k", key -> "v").get(WAIT_SECONDS, TimeUnit.SECONDS);

    CacheStats stats = cache.stats();
    assertThat(stats.missCount()).isOne();
    assertThat(stats.loadSuccessCount()).isOne();
  }

  @Test
  void getAllWithBulkLoader_countsOneMissPerMissingKeyAndOneLoad() {
    Cache<String, String> cache = newCache();
    cache.put("a", "1");

    cache.getAll(List.of("a", "b", "c"), keys -> Map.of("b", "2", "c", "3"));

    CacheStats stats = cache.stats();
    assertThat(stats.hitCount()).isOne();
    assertThat(stats.missCount()).isEqualTo(2);
    assertThat(stats.loadSuccessCount()).isOne();
  }

  // --- closed engines

  @Test
  void asyncMethods_afterClose_failTheirFuturesWithIllegalStateException() {
    CacheEngine engine = newEngine(builder -> builder);
    Cache<String, String> cache = engine.cache(CacheEngineContract.uniqueName("closed"),
        String.class, String.class);
    AsyncCache<String, String> async = cache.async();
    engine.close();

    List<Function<AsyncCache<String, String>, CompletableFuture<?>>> calls = List.of(
        a -> a.get("k"), a -> a.lookup("k"), a -> a.get("k", key -> "v"),
        a -> a.getAll(Set.of("k")), a -> a.put("k", "v"), a -> a.put("k", "v", Duration.ofHours(1)),
        a -> a.evict("k"), AsyncCache::clear);
    for (Function<AsyncCache<String, String>, CompletableFuture<?>> call : calls) {
      CompletableFuture<?> future = call.apply(async);
      assertThatThrownBy(future::join).isInstanceOf(CompletionException.class)
          .hasCauseInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void load_endingAfterClose_leavesNothingALaterReadFinds() throws Exception {
    CacheEngine engine = newEngine(builder -> builder);
    Cache<String, String> cache = engine.cache(CacheEngineContract.uniqueName("closing"),
        String.class, String.class);
    HeldLoader loader = new HeldLoader("v");
    Future<String> caller = callers.submit(() -> cache.get("k", loader));
    loader.awaitStarted();

    engine.close();
    loader.release.countDown();

    try {
      finish(caller);
    } catch (java.util.concurrent.ExecutionException e) {
      assertThat(e).hasCauseInstanceOf(IllegalStateException.class);
    }
    assertThatThrownBy(() -> cache.get("k")).isInstanceOf(IllegalStateException.class);
  }
}
