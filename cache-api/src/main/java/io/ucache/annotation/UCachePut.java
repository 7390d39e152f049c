package io.ucache.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Always runs the annotated method and caches what it returns, replacing the entry a
 * {@link UCache} method of the same cache reads for the same key arguments: a write method keeps
 * the cache up to date instead of evicting it. The key follows {@link UCache}'s rule (the cache's
 * name and the key arguments: the {@link CacheKey} parameters, else all), so
 * {@code @UCachePut(name = "prices") Price update(@CacheKey String sku, Price price)} replaces
 * what {@code @UCache(name = "prices") Price price(String sku)} cached for {@code sku}, in this
 * process and, on a shared engine, for every process reading the cache.
 *
 * <p>The method must return the cached type (or an {@code Optional} or future of it, unwrapped
 * as for {@link UCache}). The cache is opened as its {@link UCache} methods known to the
 * interceptor open it (their ttl and other settings apply); a process that writes a cache it never
 * reads gets the engine's configuration of that cache ({@code caches.<name>.ttl}...). A
 * {@code null} result is cached only with null values on; otherwise it evicts the key, as the
 * method says there is no value. When the method throws, nothing is cached or evicted.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UCachePut {

  /** The cache to write to; required. */
  String name();

  /** The engine of that cache; default: the current one, as for {@link UCache#engine()}. */
  String engine() default "";

  /**
   * Whether this call writes to the cache at all, as a Spring Expression Language expression over
   * the arguments ({@code "#id > 0"}); evaluated by the Spring advisor only. Default: always.
   */
  String condition() default "";

  /**
   * Whether the result is kept out of the cache, as a Spring Expression Language expression over
   * the arguments and {@code #result} ({@code "#result.draft"}); evaluated by the Spring advisor
   * only. Default: never.
   */
  String unless() default "";

  /** As {@link #condition()}, as a class: see {@link CallCondition}. */
  Class<? extends CallCondition> conditionClass() default CallCondition.class;

  /** As {@link #unless()}, as a class: see {@link ResultCondition}. */
  Class<? extends ResultCondition> unlessClass() default ResultCondition.class;

  /** As {@link UCache#keyGenerator()}: it must build the key the reading methods build. */
  Class<? extends KeyGenerator> keyGenerator() default KeyGenerator.class;
}
