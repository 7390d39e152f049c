/**
 * The UCache API: {@link io.ucache.Cache}, {@link io.ucache.CacheEngine}, {@link io.ucache.CacheConfig}
 * and the types they use.
 *
 * <p>Engines are found and run through {@link io.ucache.context}; engines are written against
 * {@link io.ucache.spi}. This package depends on neither, so the three never form a cycle.
 */
@NullMarked
package io.ucache;

import org.jspecify.annotations.NullMarked;
