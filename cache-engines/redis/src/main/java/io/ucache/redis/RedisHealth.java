package io.ucache.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.ucache.EngineHealth;
import io.ucache.EngineUnavailableException;
import io.ucache.spi.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The Redis engine's health: DOWN while its circuit breaker is open or its server does not answer
 * a PING within {@code timeout}; in a Cluster, every master is asked, and the engine is DEGRADED
 * while some masters answer and others do not (or their own breaker is open): the keys of their
 * slots fail, the others serve. Stateless; thread-safe.
 */
final class RedisHealth {
  private RedisHealth() {}

  static EngineHealth of(RedisConnection connection, Duration timeout) {
    CircuitBreaker breaker = connection.breaker();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("server", connection.where());
    String master = connection.master();
    if (master != null) {
      details.put("master", master);
    }
    details.put("circuitBreaker", breaker.state().name());
    details.put("failures", breaker.failureCount());
    details.put("rejected", breaker.rejectedCount());
    if (breaker.state() == CircuitBreaker.State.OPEN) {
      return EngineHealth.down("the circuit breaker is open; last failure: "
          + breaker.lastFailure(), details);
    }
    StatefulConnection<byte[], byte[]> connected = connection.connection();
    if (connected instanceof StatefulRedisClusterConnection<byte[], byte[]> cluster) {
      return ofCluster(connection, cluster, timeout, details);
    }
    try {
      details.put("ping", millis(RedisPing.ping(connected, timeout)));
    } catch (EngineUnavailableException e) {
      return EngineHealth.down(String.valueOf(e.getMessage()), details);
    }
    return EngineHealth.up(details);
  }

  private static EngineHealth ofCluster(RedisConnection connection,
      StatefulRedisClusterConnection<byte[], byte[]> cluster, Duration timeout,
      Map<String, Object> details) {
    Map<String, CircuitBreaker> breakers = connection.nodeBreakers();
    Map<String, String> masters = new TreeMap<>();
    List<String> failing = new ArrayList<>();
    for (RedisClusterNode node : cluster.getPartitions()) {
      if (!node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        continue;
      }
      String address = node.getUri().getHost() + ":" + node.getUri().getPort();
      CircuitBreaker own = breakers.get(node.getNodeId());
      boolean circuitOpen = own != null && own.state() == CircuitBreaker.State.OPEN;
      String took = circuitOpen ? null : pingOrNull(cluster, node, timeout);
      String state = took != null ? took : circuitOpen ? "circuit open" : "no answer";
      if (took == null) {
        failing.add(address + " (" + state + ")");
      }
      masters.put(address, state);
    }
    details.put("masters", masters);
    if (masters.isEmpty()) {
      return EngineHealth.down("no Redis Cluster master is known", details);
    }
    if (failing.size() == masters.size()) {
      return EngineHealth.down("no Redis Cluster master answers: " + failing, details);
    }
    if (!failing.isEmpty()) {
      return EngineHealth.degraded("Redis Cluster masters down, the keys of their slots fail: "
          + failing, details);
    }
    return EngineHealth.up(details);
  }

  /** One master's round trip ("0.31 ms"), or null when it does not answer within the timeout. */
  private static @Nullable String pingOrNull(
      StatefulRedisClusterConnection<byte[], byte[]> cluster, RedisClusterNode node,
      Duration timeout) {
    try {
      return millis(RedisPing.ping(cluster.getConnection(node.getNodeId()), timeout));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String millis(Duration took) {
    return String.format(Locale.ROOT, "%.2f ms", took.toNanos() / 1e6);
  }
}
