package io.ucache.redis;

import io.lettuce.core.RedisException;
import io.ucache.CacheConfig;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.spi.CircuitBreaker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How one {@link RedisCache} sends commands: asks the engine's {@link CircuitBreaker} first,
 * applies evictions that failed earlier, waits within the timeout, and turns every engine
 * failure into {@link EngineUnavailableException} (the cache's template then applies the failure
 * mode). Nothing is queued while disconnected, and a write that failed is never replayed.
 *
 * <p>An eviction that failed is remembered, up to {@value #MAX_PENDING_EVICTIONS} keys (beyond,
 * the whole cache is cleared instead), and applied before the next command of the cache: once
 * Redis answers again, the cache never serves the value an eviction was meant to remove. Unlike a
 * replayed {@code SET}, a repeated {@code UNLINK} can only cost a miss. Thread-safe.
 */
final class RedisCalls {

  /** Failed evictions remembered by key; beyond this many, the cache is cleared instead. */
  static final int MAX_PENDING_EVICTIONS = 10_000;
  /** Extra wait beyond Lettuce's own command timeout, so that its timeout error wins. */
  private static final long GRACE_MILLIS = 250;
  private static final System.Logger LOG = System.getLogger(RedisCache.class.getName());

  /** What applying pending evictions needs from the cache. */
  interface Evictions {
    CompletableFuture<Void> unlink(byte[][] redisKeys);

    void clearNow();
  }

  private final String cacheName;
  private final CacheConfig config;
  private final RedisConnection connection;
  private final boolean failOpen;
  private final long waitMillis;
  private final long timeoutNanos;
  private final Runnable onRejected;
  private final Evictions evictions;
  /** Redis keys whose eviction failed, with the sequence number of the latest failure. */
  private final ConcurrentHashMap<ByteBuffer, Long> pendingEvictions = new ConcurrentHashMap<>();
  private final AtomicLong pendingSequence = new AtomicLong();
  /** A clear failed, or too many evictions did: the cache is cleared before the next command. */
  private volatile boolean pendingClear;
  /** Whether anything is pending: the one read the common path pays. */
  private volatile boolean pending;
  private final ReentrantLock pendingLock = new ReentrantLock();
  /**
   * With {@code fail-mode=open}: when each thread's last command failed. The commands a thread
   * sends within the timeout after a failure skip Redis, so that one caller's operation (an
   * {@code @UCache} call is a read, a load and a write) waits for at most one timeout, not one
   * per command.
   */
  private final ThreadLocal<long[]> failedAt = ThreadLocal.withInitial(() -> new long[1]);
  /** Whether any thread's command failed lately: the one read the common path pays. */
  private volatile boolean recentFailure;

  RedisCalls(String cacheName, CacheConfig config, RedisConnection connection,
      Runnable onRejected, Evictions evictions) {
    this.cacheName = cacheName;
    this.config = config;
    this.connection = connection;
    this.failOpen = config.failMode() == FailMode.OPEN;
    this.waitMillis = config.timeout().toMillis() + GRACE_MILLIS;
    this.timeoutNanos = config.timeout().toNanos();
    this.onRejected = onRejected;
    this.evictions = evictions;
  }

  /**
   * Runs one Redis operation and waits for it, within the timeout, if the circuit breaker lets
   * it; evictions that failed before are applied first.
   *
   * @throws EngineUnavailableException if it failed, or was skipped
   */
  <T> T call(Supplier<? extends CompletionStage<T>> operation) {
    return call(operation, null);
  }

  /** {@link #call(Supplier)} that runs {@code ifFailed} when the operation did not run. */
  <T> T call(Supplier<? extends CompletionStage<T>> operation, @Nullable Runnable ifFailed) {
    return call(null, connection.breaker(), operation, ifFailed);
  }

  /**
   * {@link #call(Supplier, Runnable)} for a command on one key: in a Cluster it asks the breaker
   * of the master that serves the key, so that a failed master fails its own keys only.
   */
  <T> T callFor(byte[] redisKey, Supplier<? extends CompletionStage<T>> operation,
      @Nullable Runnable ifFailed) {
    return call(redisKey, connection.breakerFor(redisKey), operation, ifFailed);
  }

  private <T> T call(byte @Nullable [] redisKey, CircuitBreaker breaker,
      Supplier<? extends CompletionStage<T>> operation, @Nullable Runnable ifFailed) {
    if ((failOpen && recentFailure && failedLately()) || !breaker.tryAcquire()) {
      onRejected.run();
      if (ifFailed != null) {
        ifFailed.run();
      }
      throw breaker.rejection();
    }
    try {
      applyPendingEvictions(redisKey);
      T result = await(operation.get());
      breaker.onSuccess();
      return result;
    } catch (EngineUnavailableException e) {
      breaker.onFailure(String.valueOf(e.getMessage()));
      if (ifFailed != null) {
        ifFailed.run();
      }
      if (failOpen) {
        failedAt.get()[0] = System.nanoTime();
        recentFailure = true;
      }
      throw e;
    }
  }

  /**
   * Starts {@code operation} without waiting, if the circuit breaker lets it (the one of the
   * master serving {@code redisKey}, when there is one key), after the
   * evictions that failed earlier (applied synchronously, within the timeout). The future fails
   * with {@link EngineUnavailableException} on an engine failure or a skip; {@code ifFailed}
   * runs then.
   */
  <T> CompletableFuture<T> start(byte @Nullable [] redisKey,
      Supplier<CompletableFuture<T>> operation, @Nullable Runnable ifFailed) {
    CircuitBreaker breaker = redisKey == null ? connection.breaker()
        : connection.breakerFor(redisKey);
    if (!breaker.tryAcquire()) {
      onRejected.run();
      if (ifFailed != null) {
        ifFailed.run();
      }
      return CompletableFuture.failedFuture(breaker.rejection());
    }
    CompletableFuture<T> started;
    try {
      applyPendingEvictions(redisKey);
      started = operation.get();
    } catch (EngineUnavailableException e) {
      started = CompletableFuture.failedFuture(e);
    }
    return started.handle((value, failure) -> {
      if (failure == null) {
        breaker.onSuccess();
        return value;
      }
      RuntimeException mapped = failure(failure);
      if (mapped instanceof EngineUnavailableException) {
        breaker.onFailure(String.valueOf(mapped.getMessage()));
        if (ifFailed != null) {
          ifFailed.run();
        }
      }
      throw mapped instanceof CompletionException c ? c : new CompletionException(mapped);
    });
  }

  /** Whether this thread's last command failed within the timeout: then it skips Redis. */
  private boolean failedLately() {
    long[] failed = failedAt.get();
    if (failed[0] != 0 && System.nanoTime() - failed[0] < timeoutNanos) {
      return true;
    }
    failed[0] = 0;
    return false;
  }

  /** Remembers evictions that failed, to apply them before the next command. */
  void rememberEvictions(byte[][] redisKeys) {
    for (byte[] redisKey : redisKeys) {
      pendingEvictions.put(ByteBuffer.wrap(redisKey), pendingSequence.incrementAndGet());
    }
    if (pendingEvictions.size() > MAX_PENDING_EVICTIONS) {
      pendingClear = true; // a clear covers them all, in bounded memory
      pendingEvictions.clear();
    }
    pending = true;
  }

  /** Remembers a clear that failed. */
  void rememberClear() {
    pendingClear = true;
    pending = true;
  }

  /**
   * Applies the evictions that failed earlier, before this cache's next command: after an outage
   * no read may find a value that an eviction during it was meant to remove. Before a command on
   * one key ({@code forKey}), only the evictions on the Redis Cluster master that serves it are
   * applied (all of them, standalone): a master that is down keeps its own evictions pending and
   * fails only the commands on its own slots. Before a command on several keys ({@code null}),
   * all are applied. One thread applies them; others wait for it, within the timeout.
   *
   * @throws EngineUnavailableException if they cannot be applied now
   */
  void applyPendingEvictions(byte @Nullable [] forKey) {
    if (!pending) {
      return;
    }
    boolean locked;
    try {
      locked = pendingLock.tryLock(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "Interrupted while "
          + "applying the evictions of cache '" + cacheName + "' that failed earlier");
    }
    if (!locked) {
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "Redis at "
          + connection.where() + " did not apply the evictions of cache '" + cacheName
          + "' that failed earlier within " + config.timeout());
    }
    try {
      if (!pending) {
        return;
      }
      if (pendingClear) {
        Map<ByteBuffer, Long> covered = new LinkedHashMap<>(pendingEvictions);
        pendingClear = false; // before: a clear failing meanwhile sets it again
        try {
          evictions.clearNow();
        } catch (EngineUnavailableException e) {
          pendingClear = true;
          throw e;
        }
        covered.forEach(pendingEvictions::remove);
      }
      String node = forKey == null ? null : connection.nodeOf(forKey);
      Map<ByteBuffer, Long> applied = new LinkedHashMap<>();
      pendingEvictions.forEach((key, sequence) -> {
        if (node == null || node.equals(connection.nodeOf(key.array()))) {
          applied.put(key, sequence);
        }
      });
      if (!applied.isEmpty()) {
        byte[][] redisKeys = applied.keySet().stream().map(ByteBuffer::array)
            .toArray(byte[][]::new);
        await(evictions.unlink(redisKeys));
      }
      // Only the failures seen before: one that came meanwhile stays for the next command.
      applied.forEach(pendingEvictions::remove);
      pending = pendingClear || !pendingEvictions.isEmpty();
    } finally {
      pendingLock.unlock();
    }
  }

  /** Warns, when the cache closes, of evictions that can no longer be applied. */
  void warnIfPending() {
    if (pending) {
      LOG.log(System.Logger.Level.WARNING, "Cache '" + cacheName + "' of the redis engine closed "
          + "before Redis at " + connection.where() + " answered again: "
          + (pendingClear ? "a clear" : pendingEvictions.size() + " evictions") + " that failed "
          + "during the outage cannot be applied now; other processes may read those entries "
          + "until they expire");
    }
  }

  /** Waits for {@code stage}; an engine failure becomes {@link EngineUnavailableException}. */
  <T> T await(CompletionStage<T> stage) {
    CompletableFuture<T> future = stage.toCompletableFuture();
    try {
      return future.get(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(false);
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "Interrupted while waiting "
          + "for Redis at " + connection.where());
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "Redis at "
          + connection.where() + " did not answer within " + config.timeout());
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    } catch (CancellationException e) {
      throw failure(e);
    }
  }

  /** What a failed Redis future should throw: engine failures as {@link EngineUnavailableException}. */
  RuntimeException failure(@Nullable Throwable cause) {
    Throwable t = cause;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof EngineUnavailableException e) {
      return e;
    }
    // Lettuce can also fail a command with the channel's own IOException (a connection reset
    // when the server dies mid-reply): that is the engine being unavailable too.
    if (t instanceof RedisException || t instanceof IOException
        || t instanceof CancellationException || t == null) {
      return connection.unavailable("Redis at " + connection.where() + " failed on cache '"
          + cacheName + "'", t == null ? new RedisException("no cause") : t);
    }
    if (t instanceof RuntimeException runtime) {
      return runtime;
    }
    if (t instanceof Error error) {
      throw error;
    }
    return new CompletionException(t);
  }
}
