/**
 * Finding and running engines: {@link io.ucache.context.EngineManager} discovers them,
 * {@link io.ucache.context.EngineContext} scopes one to a try-with-resources block, and
 * {@link io.ucache.context.CacheContext} is a configuration you open many times.
 *
 * <p>This package sits above {@link io.ucache} and {@link io.ucache.spi}; neither depends on it.
 */
@NullMarked
package io.ucache.context;

import org.jspecify.annotations.NullMarked;
