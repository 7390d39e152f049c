package io.ucache.annotation;

import java.lang.reflect.Method;

/**
 * Builds the argument part of a cache key for {@link UCache#keyGenerator()}. The method's
 * identity is always added to it, so a generator cannot make two methods share entries.
 * Implementations must be thread-safe, have a public no-argument constructor, and return a value
 * that has a canonical encoding (a String, a boxed primitive, a record of such, ...) when the
 * cache is on a disk or remote engine.
 */
@FunctionalInterface
public interface KeyGenerator {
  Object generate(Method method, Object[] args);
}
