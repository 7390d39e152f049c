/**
 * Method caching by annotation: {@link io.ucache.annotation.UCache} caches a method's results,
 * {@link io.ucache.annotation.CacheKey} picks the arguments that form the key,
 * {@link io.ucache.annotation.UCachePut} replaces entries with a method's results,
 * {@link io.ucache.annotation.UCacheEvict} removes entries, and
 * {@link io.ucache.annotation.CallCondition} and {@link io.ucache.annotation.ResultCondition}
 * decide per call whether the cache is used. The annotations do nothing by
 * themselves: {@code io.ucache.interceptor.UCacheInterceptor} (plain Java proxies) or the Spring
 * advisor applies them.
 */
@NullMarked
package io.ucache.annotation;

import org.jspecify.annotations.NullMarked;
