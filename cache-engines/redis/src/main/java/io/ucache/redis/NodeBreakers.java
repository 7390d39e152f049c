package io.ucache.redis;

import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.ucache.CacheConfig;
import io.ucache.spi.CircuitBreaker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * One {@link CircuitBreaker} per Redis Cluster master, found from a key's slot, so that a master
 * that is down fails (and, once open, skips) only the keys of its own slots while the others
 * keep working. A key whose slot no known master serves (the topology is not loaded yet, or is
 * being refreshed) gets the engine-wide breaker. Breakers are kept by node id, so a master that
 * changes address keeps its breaker, and a slot that moves takes the breaker of its new master.
 * Thread-safe. <b>Nulls:</b> none accepted or returned.
 */
final class NodeBreakers {

  private final RedisClusterClient client;
  private final CacheConfig config;
  private final String where;
  private final CircuitBreaker fallback;
  private final Map<String, CircuitBreaker> byNode = new ConcurrentHashMap<>();

  NodeBreakers(RedisClusterClient client, CacheConfig config, String where,
      CircuitBreaker fallback) {
    this.client = client;
    this.config = config;
    this.where = where;
    this.fallback = fallback;
  }

  /** The breaker of the master that serves {@code redisKey}'s slot. */
  CircuitBreaker forKey(byte[] redisKey) {
    RedisClusterNode node = master(SlotHash.getSlot(redisKey));
    if (node == null) {
      return fallback;
    }
    return byNode.computeIfAbsent(node.getNodeId(), id -> CircuitBreaker.create(
        RedisEngineProvider.NAME, "Redis Cluster master " + node.getUri().getHost() + ":"
            + node.getUri().getPort() + " of " + where, config));
  }

  /**
   * The id of the master that serves {@code redisKey}'s slot, or {@code ""} while the topology
   * is unknown: keys with the same id fail and recover together (to group failed evictions).
   */
  String nodeOf(byte[] redisKey) {
    RedisClusterNode node = master(SlotHash.getSlot(redisKey));
    return node == null ? "" : node.getNodeId();
  }

  /** Every master's breaker made so far (for health: one open breaker is a degraded engine). */
  Map<String, CircuitBreaker> all() {
    return Map.copyOf(byNode);
  }

  private @Nullable RedisClusterNode master(int slot) {
    try {
      Partitions partitions = client.getPartitions();
      return partitions == null ? null : partitions.getMasterBySlot(slot);
    } catch (RuntimeException e) {
      return null; // not connected yet: Lettuce has no topology to ask
    }
  }
}
