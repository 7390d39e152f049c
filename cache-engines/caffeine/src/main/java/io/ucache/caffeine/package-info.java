/**
 * The in-memory engine, named {@code caffeine}: the embedded default. Each named cache is its own
 * Caffeine cache (W-TinyLFU eviction for {@code max-size}); a hit goes straight to Caffeine.
 * Only {@link io.ucache.caffeine.CaffeineEngineProvider} is public, for {@link java.util.ServiceLoader}.
 */
@NullMarked
package io.ucache.caffeine;

import org.jspecify.annotations.NullMarked;
