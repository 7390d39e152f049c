package io.ucache.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the results of the annotated method: a call whose key is cached returns the cached
 * value without running the method. The key is the method's identity (class, name, parameter
 * types) plus its arguments (those marked {@link CacheKey}, else all), encoded canonically, so
 * two methods never share an entry even on one cache, and the same call gives the same key in
 * another JVM.
 *
 * <p>Every attribute is optional; what is left unset comes from the engine's configuration: the
 * current {@code EngineContext}'s when the call runs inside one, else the global default engine's
 * ({@code ucache.*} / {@code UCACHE_*} keys; caffeine when nothing is configured).
 *
 * <p>{@code CompletableFuture} results are shared while in flight and cached once they complete
 * successfully; {@code Optional} results are cached unwrapped (an empty one only with null
 * values on); {@code null} results are cached only with null values on; a thrown exception is
 * never cached. With {@code fail-mode=open} (the default for annotated methods) an engine that
 * fails never breaks the method: it runs and returns its value.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface UCache {

  /** The cache's name; default: the declaring class, the method name and its parameter types. */
  String name() default "";

  /** The engine to use by name ({@code caffeine}, {@code ehcache}, {@code redis}); default: the current one. */
  String engine() default "";

  /** Time to live after a write, such as {@code 30s}, {@code 10m} or {@code PT1H}; default: the engine's. */
  String ttl() default "";

  /**
   * Age after which a call returns the cached value at once and runs the method again in the
   * background, with the same arguments, to refresh it (once per key at a time), such as
   * {@code 5m}; shorter than the ttl. Default: the engine's {@code refresh-after}, else never.
   * The background run happens on the configuration's executor, after the call returned, without
   * the caller's thread-bound state (a transaction, a security context).
   */
  String refreshAfter() default "";

  /**
   * How long past its ttl a call may still return the expired value while the method runs again
   * in the background; needs a ttl. Default: the engine's {@code stale-while-revalidate}.
   */
  String staleWhileRevalidate() default "";

  /**
   * How long past its ttl a call returns the expired value when the method, run again, throws:
   * the exception is counted and logged instead of thrown, and the method is not run again for a
   * while (a back-off of one second, doubling up to a minute). Past the window the exception
   * reaches the caller. Needs a ttl. Default: the engine's {@code stale-if-error}.
   */
  String staleIfError() default "";

  /** The most entries this cache holds; default (-1): the engine's. */
  long maxSize() default -1;

  /** Whether null (and empty {@code Optional}) results are cached; default: the engine's. */
  Toggle nullValues() default Toggle.INHERIT;

  /**
   * Whether concurrent misses on one key run the method once, the others waiting for its result
   * (default), rather than each running it.
   */
  boolean sync() default true;

  /**
   * How far {@link #sync()} reaches: {@code process} (concurrent misses run the method once per
   * JVM) or {@code cluster} (once across every process sharing the engine: the first caller
   * takes a lease on the key in Redis, the others wait for its value). Default: the engine's
   * {@code single-flight.scope}, else {@code process}. {@code cluster} needs
   * {@code sync = true} and a shared engine ({@code redis}).
   */
  String singleFlight() default "";

  /**
   * Whether this call uses the cache at all, as a Spring Expression Language expression over the
   * arguments ({@code "#id > 0"}, {@code "#p0 != null"}); a call for which it is false runs the
   * method uncached. Evaluated by the Spring advisor only (plain proxies refuse it: use
   * {@link #conditionClass()}). Default: always.
   */
  String condition() default "";

  /**
   * Whether the method's result is kept out of the cache, as a Spring Expression Language
   * expression over the arguments and {@code #result} ({@code "#result == null"},
   * {@code "#result.size() > 1000"}); the caller gets the result either way. Evaluated by the
   * Spring advisor only (plain proxies refuse it: use {@link #unlessClass()}). Default: never.
   */
  String unless() default "";

  /**
   * As {@link #condition()}, as a class the interceptor makes once for the method (see
   * {@link CallCondition}): for plain Java proxies and Spring alike. Checking it costs a hit one
   * call of it.
   */
  Class<? extends CallCondition> conditionClass() default CallCondition.class;

  /** As {@link #unless()}, as a class: see {@link ResultCondition}. */
  Class<? extends ResultCondition> unlessClass() default ResultCondition.class;

  /**
   * Tags the entries of this method, so that {@link UCacheEvict#tags()} or
   * {@code CacheEngine.invalidateTag} invalidates every entry of a tag at once, in any cache of
   * the engine, in O(1) (no scan), and on a shared engine for every process. Each tag is a
   * template over the key arguments: {@code "tenant:{0}"} (the first key argument) or
   * {@code "tenant:{tenantId}"} (a key parameter by name, with {@code -parameters}), rendered with
   * {@code String.valueOf}; {@code "prices"} is a constant tag. Needs {@link #ttl()}: an
   * invalidated tag's entries are not deleted but left unreachable until they expire. Every method
   * of a cache must give it the same tags. A tagged call reads the tags' generations from the
   * engine (one more read per call on a remote engine) before its entry.
   */
  String[] tags() default {};

  /**
   * Caches a bulk method entry by entry: a method whose one key parameter is a {@code Collection},
   * {@code List} or {@code Set} of ids, returning a {@code Map} from id to value (or, for a
   * {@code List} of ids, a {@code List} of values in the same order, {@code null} for none). A
   * call reads every id's entry at once, runs the method once with the ids that missed only
   * (a collection of the declared kind), and stores what it returned, each entry under the key a
   * method of the same cache taking one id would use: {@code @UCache(name = "users", bulk = true)
   * Map<Long, User> users(Collection<Long> ids)} shares entries with {@code @UCache(name =
   * "users") User user(long id)}. An id the method leaves out is not cached (cached as null with
   * null values on, so {@code null-ttl} applies). Loads are single-flight per id whatever
   * {@link #sync()} says; refresh-ahead and the stale windows apply per entry. Cannot be combined
   * with a key generator or {@link #unless()}.
   */
  boolean bulk() default false;

  /**
   * Builds the argument part of the key instead of the canonical encoding. Must have a public
   * no-argument constructor; cannot be combined with {@link CacheKey}.
   */
  Class<? extends KeyGenerator> keyGenerator() default KeyGenerator.class;
}
