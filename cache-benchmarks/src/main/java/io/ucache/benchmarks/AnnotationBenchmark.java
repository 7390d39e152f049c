package io.ucache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Issue 7, benchmark 3: a cache hit of one method three ways, each over a Caffeine cache with the
 * same settings (maximum size, statistics on): {@code @UCache} through
 * {@link UCacheInterceptor#proxy}, a hand-written decorator calling Caffeine directly, and
 * Spring's {@code @Cacheable} on a CGLIB proxy over a {@code CaffeineCacheManager}. A fourth,
 * {@code jdkProxy}, puts the hand-written decorator behind a bare JDK proxy whose handler only
 * forwards: the floor that any interceptor behind {@code java.lang.reflect.Proxy} pays (an
 * {@code Object[]} of the arguments per call, and the handler's dispatch).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AnnotationBenchmark {

  static final long MAX_SIZE = 10_000;
  private static final int SKUS = 1 << 10;
  private static final int MASK = SKUS - 1;

  /** The hand-written decorator: what a user would write without a framework. */
  static final class CachingPrices implements Prices {
    private final Prices delegate;
    private final com.github.benmanes.caffeine.cache.Cache<String, String> cache =
        Caffeine.newBuilder().maximumSize(MAX_SIZE).recordStats().build();

    CachingPrices(Prices delegate) {
      this.delegate = delegate;
    }

    @Override
    public String price(String sku) {
      String cached = cache.getIfPresent(sku);
      if (cached != null) {
        return cached;
      }
      String computed = delegate.price(sku);
      cache.put(sku, computed);
      return computed;
    }
  }

  /** The three sides, each warmed with every SKU. */
  @State(Scope.Benchmark)
  public static class Sides {
    CacheEngine engine;
    UCacheInterceptor interceptor;
    Prices ucache;
    Prices decorator;
    Prices jdkProxy;
    AnnotationConfigApplicationContext spring;
    SpringPrices springPrices;
    AnnotationConfigApplicationContext springUCacheContext;
    SpringUCachePrices springUCache;
    SpringUCachePrices.DecoratorBean cglibNoOp;
    AnnotationConfigApplicationContext springOverUCacheContext;
    SpringPrices springOverUCache;
    AnnotationConfigApplicationContext jetCacheContext;
    JetCachePrices jetCache;
    String[] skus;

    @Setup(Level.Trial)
    public void setUp() {
      engine = EngineManager.getDefault().create(CacheConfig.builder().engine("caffeine")
          .maxSize(MAX_SIZE).stats(true).build());
      interceptor = UCacheInterceptor.using(engine);
      ucache = interceptor.proxy(Prices.class, new Prices.PriceList());
      decorator = new CachingPrices(new Prices.PriceList());
      Prices forwardedTo = new CachingPrices(new Prices.PriceList());
      jdkProxy = (Prices) Proxy.newProxyInstance(Prices.class.getClassLoader(),
          new Class<?>[] {Prices.class}, (proxy, method, args) -> forwardedTo.price(
              (String) args[0]));
      spring = new AnnotationConfigApplicationContext(SpringPrices.Config.class);
      springPrices = spring.getBean(SpringPrices.class);
      springUCacheContext = SpringUCachePrices.start(SpringUCachePrices.Config.class);
      springOverUCacheContext = SpringUCachePrices.start(SpringUCachePrices.CacheableConfig.class);
      springOverUCache = springOverUCacheContext.getBean(SpringPrices.class);
      jetCacheContext = new AnnotationConfigApplicationContext(JetCachePrices.Config.class);
      jetCache = jetCacheContext.getBean(JetCachePrices.class);

      springUCache = springUCacheContext.getBean(SpringUCachePrices.class);
      cglibNoOp = SpringUCachePrices.cglibNoOp();
      skus = new String[SKUS];
      for (int i = 0; i < SKUS; i++) {
        skus[i] = "sku-" + i;
        ucache.price(skus[i]);
        decorator.price(skus[i]);
        jdkProxy.price(skus[i]);
        springPrices.price(skus[i]);
        springUCache.price(skus[i]);
        cglibNoOp.price(skus[i]);
        springOverUCache.price(skus[i]);
        jetCache.price(skus[i]);
      }
      if (jetCache.price(skus[0]) != jetCache.price(skus[0])) {
        // A misconfigured JetCache proxies the bean but runs the method every time.
        throw new IllegalStateException("JetCache does not cache: the row would measure the method");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      springUCacheContext.close();
      springOverUCacheContext.close();
      jetCacheContext.close();
      spring.close();
      interceptor.close();
      engine.close();
    }
  }

  /**
   * The method with a condition class, on an engine of its own, so that the other rows' code
   * never sees it (a profile shared by both would measure neither).
   */
  @State(Scope.Benchmark)
  public static class Conditional {
    CacheEngine engine;
    UCacheInterceptor interceptor;
    Prices.Conditional prices;
    String[] skus;

    @Setup(Level.Trial)
    public void setUp() {
      engine = EngineManager.getDefault().create(CacheConfig.builder().engine("caffeine")
          .maxSize(MAX_SIZE).stats(true).build());
      interceptor = UCacheInterceptor.using(engine);
      Prices.PriceList list = new Prices.PriceList();
      prices = interceptor.proxy(Prices.Conditional.class, list::price);
      skus = new String[SKUS];
      for (int i = 0; i < SKUS; i++) {
        skus[i] = "sku-" + i;
        prices.price(skus[i]);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      interceptor.close();
      engine.close();
    }
  }

  /** Each thread walks the SKUs. */
  @State(Scope.Thread)
  public static class Cursor {
    int index;

    String next(String[] skus) {
      return skus[index++ & MASK];
    }
  }

  @Benchmark
  public String ucache(Sides sides, Cursor cursor) {
    return sides.ucache.price(cursor.next(sides.skus));
  }

  /** {@link #ucache} with a condition class on the method: one more call per hit. */
  @Benchmark
  public String ucacheWithCondition(Conditional conditional, Cursor cursor) {
    return conditional.prices.price(cursor.next(conditional.skus));
  }

  @Benchmark
  public String decorator(Sides sides, Cursor cursor) {
    return sides.decorator.price(cursor.next(sides.skus));
  }

  @Benchmark
  public String jdkProxy(Sides sides, Cursor cursor) {
    return sides.jdkProxy.price(cursor.next(sides.skus));
  }

  @Benchmark
  public String spring(Sides sides, Cursor cursor) {
    return sides.springPrices.price(cursor.next(sides.skus));
  }

  /** {@code @UCache} on a Spring bean's class: CGLIB and UCache's advisor (issue 20, target 1). */
  @Benchmark
  public String springUCache(Sides sides, Cursor cursor) {
    return sides.springUCache.price(cursor.next(sides.skus));
  }

  /** The floor of {@link #springUCache}: CGLIB, an interceptor that proceeds, the decorator. */
  @Benchmark
  public String cglibNoOp(Sides sides, Cursor cursor) {
    return sides.cglibNoOp.price(cursor.next(sides.skus));
  }

  /** Spring's {@code @Cacheable} (CGLIB) over UCache's {@code CacheManager}: a peer row. */
  @Benchmark
  public String springOverUCache(Sides sides, Cursor cursor) {
    return sides.springOverUCache.price(cursor.next(sides.skus));
  }

  /** JetCache's {@code @Cached} (CGLIB, local Caffeine): a peer row. */
  @Benchmark
  public String jetCache(Sides sides, Cursor cursor) {
    return sides.jetCache.price(cursor.next(sides.skus));
  }
}
