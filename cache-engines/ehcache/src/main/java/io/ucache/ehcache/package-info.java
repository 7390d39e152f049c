/**
 * The disk engine, named {@code ehcache}: a persistent cache on Ehcache 3 that survives restarts.
 * Only {@link io.ucache.ehcache.EhcacheEngineProvider} is public, for {@link java.util.ServiceLoader}.
 */
@NullMarked
package io.ucache.ehcache;

import org.jspecify.annotations.NullMarked;
