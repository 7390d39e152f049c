package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Refresh-ahead and stale-if-error on {@code @UCache} methods, on a real engine, as a JUnit 5
 * class an engine's test extends: past {@code refreshAfter} a call returns the cached result at
 * once and the method runs again in the background with the same arguments, once; within
 * {@code staleIfError} a call whose method throws returns the last result instead, and the
 * exception reaches the caller once the window ends. The settings are the annotation's own, in
 * seconds, so on an engine with a server's clock ({@link #supportsTicker()} {@code false}) each
 * test waits a few real seconds.
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 */
public abstract class UCacheRefreshContract {

  private final RefreshHarness time = new RefreshHarness(supportsTicker(), Duration.ofSeconds(1));
  private final List<AutoCloseable> resources = new ArrayList<>();

  /** For subclasses. */
  protected UCacheRefreshContract() {}

  /** A new builder for the engine under test; a fresh folder or namespace each call. */
  protected abstract CacheConfig.Builder baseConfig();

  /** Whether the engine takes its time from {@link CacheConfig#ticker()}; default true. */
  protected boolean supportsTicker() {
    return true;
  }

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  @AfterEach
  final void close() throws Exception {
    time.awaitBackgroundDone();
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    time.close();
  }

  /** Quotes, refreshed a second after they were fetched, or served stale when the source fails. */
  public interface Quotes {
    @UCache(ttl = "1h", refreshAfter = "1s")
    String quote(String symbol);

    @UCache(ttl = "1s", staleIfError = "1h")
    String lastKnown(String symbol);
  }

  /** Counts its calls; each may be held, or fail. */
  static final class QuoteSource implements Quotes {
    final AtomicInteger calls = new AtomicInteger();
    volatile @Nullable HeldLoader held;
    volatile boolean failing;

    @Override
    public String quote(String symbol) {
      return fetch(symbol);
    }

    @Override
    public String lastKnown(String symbol) {
      return fetch(symbol);
    }

    private String fetch(String symbol) {
      int call = calls.incrementAndGet();
      if (failing) {
        throw new IllegalStateException("quote source down");
      }
      HeldLoader gate = held;
      if (gate != null) {
        try {
          gate.load(symbol);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return symbol + "#" + call;
    }
  }

  private Quotes quotes(QuoteSource source) {
    CacheEngine engine = manager().create(time.configure(baseConfig()).build());
    resources.add(engine);
    UCacheInterceptor interceptor = UCacheInterceptor.using(engine);
    resources.add(interceptor);
    return interceptor.proxy(Quotes.class, source);
  }

  @Test
  void call_pastRefreshAfter_returnsTheCachedResultAndRunsTheMethodOnceInTheBackground() {
    QuoteSource source = new QuoteSource();
    Quotes quotes = quotes(source);
    assertThat(quotes.quote("ACME")).isEqualTo("ACME#1");
    time.skip(Duration.ofSeconds(1).plus(time.margin));
    HeldLoader held = new HeldLoader("");
    source.held = held;

    // The method is held: a call that waited for it would not return.
    assertThat(quotes.quote("ACME")).as("the call that starts the refresh").isEqualTo("ACME#1");
    held.awaitStarted();
    assertThat(quotes.quote("ACME")).as("a call while the refresh runs").isEqualTo("ACME#1");
    held.release();
    time.awaitBackgroundDone();

    assertThat(quotes.quote("ACME")).as("after the refresh").isEqualTo("ACME#2");
    assertThat(source.calls).as("method runs: the first call, one refresh").hasValue(2);
  }

  @Test
  void call_withinStaleIfError_methodThrows_returnsTheLastResultThenTheException() {
    QuoteSource source = new QuoteSource();
    Quotes quotes = quotes(source);
    assertThat(quotes.lastKnown("ACME")).isEqualTo("ACME#1");
    time.skip(Duration.ofSeconds(1).plus(time.margin));
    source.failing = true;

    assertThat(quotes.lastKnown("ACME")).as("past ttl, the method failing").isEqualTo("ACME#1");
    assertThat(source.calls).as("the method ran again, and failed").hasValue(2);

    if (time.exactTime()) { // a real hour is too long to wait for
      time.skip(Duration.ofHours(1));
      assertThatThrownBy(() -> quotes.lastKnown("ACME")).as("past the window")
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("quote source down");
    }
  }
}
