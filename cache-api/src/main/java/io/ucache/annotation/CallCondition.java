package io.ucache.annotation;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Decides, before an annotated method runs, whether a call uses the cache at all: for
 * {@link UCache#conditionClass()}, {@link UCachePut#conditionClass()} and
 * {@link UCacheEvict#conditionClass()}. A call for which it returns {@code false} runs the method
 * as if it were not annotated: nothing is read, cached or evicted.
 *
 * <p>Implementations need a no-argument constructor (it may be private); the interceptor makes
 * one instance per annotated method, when it parses the method, and calls it from every thread
 * that calls the method: it must be thread-safe. It runs on every call, hits included, so it
 * should be cheap.
 */
@FunctionalInterface
public interface CallCondition {

  /**
   * Whether this call uses the cache.
   *
   * @param method the annotated method, as declared where the annotations were found
   * @param args the call's arguments (empty for a method without parameters; elements may be
   *     null); not to be changed
   */
  boolean test(Method method, @Nullable Object[] args);
}
