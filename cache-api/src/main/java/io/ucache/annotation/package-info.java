/**
 * Method caching by annotation: {@link io.ucache.annotation.UCache} caches a method's results,
 * {@link io.ucache.annotation.CacheKey} picks the arguments that form the key, and
 * {@link io.ucache.annotation.UCacheEvict} removes entries. The annotations do nothing by
 * themselves: {@code io.ucache.interceptor.UCacheInterceptor} (plain Java proxies) or the Spring
 * advisor applies them.
 */
@NullMarked
package io.ucache.annotation;

import org.jspecify.annotations.NullMarked;
