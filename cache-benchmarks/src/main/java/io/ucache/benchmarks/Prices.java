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

  /** The same method with a condition class: what a condition costs a hit. */
  interface Conditional {
    @UCache(name = "conditional-prices", conditionClass = NotBlank.class)
    String price(String sku);
  }

  /** Caches calls for a SKU that is not blank. */
  final class NotBlank implements io.ucache.annotation.CallCondition {
    @Override
    public boolean test(java.lang.reflect.Method method, Object[] args) {
      return !((String) args[0]).isBlank();
    }
  }

  /** The method's work: what every side runs on a miss. Thread-safe. */
  final class PriceList implements Prices {
    @Override
    public String price(String sku) {
      return "price of " + sku;
    }
  }
}
