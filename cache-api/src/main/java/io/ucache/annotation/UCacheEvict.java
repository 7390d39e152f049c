package io.ucache.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Removes cache entries after the annotated method returns normally (not when it throws), or,
 * with {@link #beforeInvocation()}, before it runs (whatever it then does).
 *
 * <p>With {@link #allEntries()}, the whole cache is cleared. Otherwise the key arguments
 * ({@link CacheKey} parameters, else all) are matched against the {@link UCache} methods of the
 * same cache known to the interceptor (those of every proxy it made, and every method it has
 * seen called) whose key parameters have the same types, boxing aside, and each of their entries
 * for those arguments is evicted. When none is known, nothing is evicted and a warning is logged;
 * the method's own result is never affected: {@code @UCacheEvict(name = "prices") void
 * update(@CacheKey String sku, Price price)} evicts what {@code @UCache(name = "prices") Price
 * price(String sku)} cached for {@code sku}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UCacheEvict {

  /**
   * The caches to evict from ({@code name = "prices"}, {@code name = {"prices", "stock"}});
   * required unless {@link #tags()} are given.
   */
  String[] name() default {};

  /**
   * Tags to invalidate: every entry of the engine tagged with one (see {@link UCache#tags()}), in
   * O(1), in every process sharing the engine. Templates over this method's key arguments, as
   * {@link UCache#tags()} has them: {@code tags = "tenant:{0}"}.
   */
  String[] tags() default {};

  /** The engine of those caches; default: the current one, as for {@link UCache#engine()}. */
  String engine() default "";

  /** Whether to clear the whole caches rather than the entries for the key arguments. */
  boolean allEntries() default false;

  /**
   * Whether to evict before the method runs rather than after it returned: the entries go even
   * when it throws, and a reader never sees a value the method is about to change. Default:
   * after, and only when it returns normally.
   */
  boolean beforeInvocation() default false;

  /**
   * Whether this call evicts at all, as a Spring Expression Language expression over the
   * arguments ({@code "#sku != null"}); evaluated by the Spring advisor only (plain proxies refuse
   * it: use {@link #conditionClass()}). Default: always.
   */
  String condition() default "";

  /** As {@link #condition()}, as a class: see {@link CallCondition}. */
  Class<? extends CallCondition> conditionClass() default CallCondition.class;
}
