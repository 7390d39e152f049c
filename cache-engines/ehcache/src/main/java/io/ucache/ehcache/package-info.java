/**
 * The disk engine, named {@code ehcache}: a persistent cache on Ehcache 3 that survives restarts.
 * Only {@link io.ucache.ehcache.EhcacheEngineProvider} is public, for {@link java.util.ServiceLoader}.
 *
 * <p>Following one request down: {@code EhcacheEngineProvider} opens an {@code EhcacheEngine},
 * which resolves its folder ({@code FolderNames}), holds it ({@code EngineFolder},
 * {@code FolderLock}) and starts one Ehcache {@code PersistentCacheManager} on it. Each named
 * cache is an {@code EhcacheCache}: keys become store keys ({@code KeyCodec}: the String itself
 * when it is ASCII, else an {@code EncodedKey} of bytes), values
 * {@code StoredValue}s (their {@code ValueCodec} bytes, a null marker and a deadline), which
 * {@code EntryExpiry} turns into Ehcache expiry on the engine's {@code EngineClock}. The folder
 * records each cache's types ({@code CacheMetadata}).
 */
@NullMarked
package io.ucache.ehcache;

import org.jspecify.annotations.NullMarked;
