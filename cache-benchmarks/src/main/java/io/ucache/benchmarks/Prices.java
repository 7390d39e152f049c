package io.ucache.benchmarks;

import io.ucache.annotation.UCache;

/**
 * The method every side of the annotation benchmark caches: UCache through this interface's
 * annotation, the hand-written decorator and Spring through their own classes. Public for the
 * JDK proxy and Spring's CGLIB subclass. Implementations are thread-safe; nulls are refused.
 */
public interface Prices {

  @UCache(name = "prices")
  String price(String sku);

  /** The method's work: what every side runs on a miss. Thread-safe. */
  final class PriceList implements Prices {
    @Override
    public String price(String sku) {
      return "price of " + sku;
    }
  }
}
