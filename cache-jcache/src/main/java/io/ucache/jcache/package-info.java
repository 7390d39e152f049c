/**
 * A JSR-107 (JCache) caching provider over every UCache engine:
 * {@code Caching.getCachingProvider()} finds {@link io.ucache.jcache.UCacheCachingProvider}, whose
 * cache managers each run one UCache engine chosen by configuration (the same keys as everywhere,
 * from a properties URI, the {@code Properties} given, and the {@code UCACHE_*} environment).
 *
 * <p>Everything but the provider is package-private: users program against {@code javax.cache}
 * and reach UCache through {@code unwrap}.
 */
@NullMarked
package io.ucache.jcache;

import org.jspecify.annotations.NullMarked;
