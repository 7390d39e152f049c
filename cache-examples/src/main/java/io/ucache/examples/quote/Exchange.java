package io.ucache.examples.quote;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The slow backend: a stock exchange that takes {@code quotes.exchange-latency} (200ms unless
 * set) to answer. Counts its calls, so the cache's effect can be seen. Thread-safe.
 */
@Component
public class Exchange {
  private final Duration latency;
  private final AtomicInteger calls = new AtomicInteger();

  public Exchange(@Value("${quotes.exchange-latency:200ms}") Duration latency) {
    this.latency = latency;
  }

  /** The current price of {@code symbol}, after the exchange's latency. */
  public Quote price(String symbol) {
    calls.incrementAndGet();
    pause();
    int seed = Math.floorMod(symbol.hashCode(), 100_000);
    return new Quote(symbol, BigDecimal.valueOf(seed, 2).setScale(2, RoundingMode.UNNECESSARY),
        Instant.now());
  }

  /** The company listed under {@code symbol}, after the exchange's latency. */
  public String companyName(String symbol) {
    calls.incrementAndGet();
    pause();
    return symbol.toUpperCase(Locale.ROOT) + " Corporation";
  }

  /** How many times the exchange was really called. */
  public int calls() {
    return calls.get();
  }

  private void pause() {
    if (!latency.isZero()) {
      try {
        Thread.sleep(latency.toMillis()); // stands for the network and the exchange's work
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while asking the exchange", e);
      }
    }
  }
}
