package io.ucache.examples.quote;

import io.ucache.annotation.UCache;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Quotes and company names, cached: a plain class (no interface), proxied by Spring through
 * CGLIB. Thread-safe.
 */
@Service
public class QuoteService {
  private final Exchange exchange;

  public QuoteService(Exchange exchange) {
    this.exchange = exchange;
  }

  // [spring-service]
  /** UCache's annotation: prices are fresh for 5 seconds, whatever the engine's default. */
  @UCache(name = "quotes", ttl = "5s")
  public Quote quote(String symbol) {
    return exchange.price(symbol);
  }

  /** Spring's annotation, on the same UCache engine through UCache's CacheManager. */
  @Cacheable("company-names")
  public String companyName(String symbol) {
    return exchange.companyName(symbol);
  }
  // [spring-service]
}
