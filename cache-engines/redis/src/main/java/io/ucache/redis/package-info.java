/**
 * The shared engine, named {@code redis}: caches kept in Redis (standalone, Sentinel or Cluster)
 * through Lettuce, seen by every process that uses the same server and namespace. Only
 * {@link io.ucache.redis.RedisEngineProvider} is public, for {@link java.util.ServiceLoader}.
 *
 * <p>Following one request down: {@code RedisEngineProvider} opens a {@code RedisEngine}, which
 * owns the Lettuce client ({@code RedisClients}) and one shared connection
 * ({@code RedisConnection}, which also connects in the background when the server was down at
 * open, follows a Sentinel's switch of master ({@code SentinelWatch}) and keeps one circuit
 * breaker per Cluster master ({@code NodeBreakers})); the event-loop threads are the JVM's one
 * {@code ClientResources}, shared by every engine ({@code SharedClientResources}). Each named
 * cache is a {@code RedisCache}: keys become {@code <namespace>:<cache>:<key>}
 * ({@code RedisKeys}; {@code max-size} is {@code SizeIndex}), values their codec's bytes in the
 * checksummed stored-value format ({@code io.ucache.spi.StoredValueFormat}).
 */
@NullMarked
package io.ucache.redis;

import org.jspecify.annotations.NullMarked;
