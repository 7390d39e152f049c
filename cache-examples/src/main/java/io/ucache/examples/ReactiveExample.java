package io.ucache.examples;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reactor results: the value a {@code Mono} emits and the values a {@code Flux} emits are
 * cached, not the publishers; nothing runs until a subscriber asks.
 */
public final class ReactiveExample {
  private ReactiveExample() {}

  // [reactive]
  public interface Prices {
    /** The emitted price is cached; an empty Mono or an error is not. */
    @UCache(name = "reactive-prices", ttl = "1m")
    Mono<Double> price(String sku);

    /** The emitted list is cached, and replayed as a Flux. */
    @UCache(name = "reactive-history", ttl = "1m")
    Flux<Double> history(String sku);
  }
  // [reactive]

  /** A price service that counts the subscriptions to its publishers. */
  static final class PriceStream implements Prices {
    final AtomicInteger subscriptions = new AtomicInteger();

    @Override
    public Mono<Double> price(String sku) {
      return Mono.fromCallable(() -> {
        subscriptions.incrementAndGet();
        return 9.99;
      });
    }

    @Override
    public Flux<Double> history(String sku) {
      return Flux.defer(() -> {
        subscriptions.incrementAndGet();
        return Flux.just(9.49, 9.79, 9.99);
      });
    }
  }

  /** What the subscribers got, and how often the service's publishers were subscribed to. */
  public record Result(double price, List<Double> history, int subscriptions) {}

  public static void main(String[] args) {
    run(System.out);
  }

  public static Result run(PrintStream out) {
    PriceStream service = new PriceStream();
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.defaults());
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      // [reactive-calls]
      Prices prices = ucache.proxy(Prices.class, service);
      Mono<Double> price = prices.price("p-1");              // nothing runs yet
      price.block();                                         // subscribes: the service runs
      double cached = prices.price("p-1").block();           // from the cache
      prices.history("p-1").collectList().block();           // the service runs
      List<Double> history = prices.history("p-1").collectList().block(); // from the cache
      // [reactive-calls]
      out.printf("  price %.2f, history %s; the service's publishers were subscribed to %d "
          + "times%n", cached, history, service.subscriptions.get());
      return new Result(cached, history, service.subscriptions.get());
    }
  }
}
