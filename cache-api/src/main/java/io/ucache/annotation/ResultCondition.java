package io.ucache.annotation;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * Decides, after an annotated method returned, whether its result is kept out of the cache: for
 * {@link UCache#unlessClass()} and {@link UCachePut#unlessClass()}. When it returns {@code true}
 * the caller gets the result, and nothing is stored (an entry already cached stays as it is).
 *
 * <p>Implementations need a no-argument constructor (it may be private); the interceptor makes
 * one instance per annotated method, when it parses the method, and calls it from every thread
 * that calls the method: it must be thread-safe.
 */
@FunctionalInterface
public interface ResultCondition {

  /**
   * Whether {@code result} must not be cached.
   *
   * @param method the annotated method, as declared where the annotations were found
   * @param args the call's arguments (empty for a method without parameters); not to be changed
   * @param result what the method returned: for an {@code Optional} or a future, the value it
   *     holds (null for an empty {@code Optional})
   */
  boolean test(Method method, @Nullable Object[] args, @Nullable Object result);
}
