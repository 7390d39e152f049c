package io.ucache.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Builds the Lettuce client of an engine from its configuration: the URIs of {@code redis.url}
 * with the credentials and timeout, and a standalone/Sentinel or Cluster client on the shared
 * resources with the options every engine uses (no queueing while disconnected, bounded request
 * queue, timeouts). Stateless. <b>Nulls:</b> none.
 */
final class RedisClients {

  /** Commands Lettuce holds per connection before refusing more: a bound, not a buffer. */
  private static final int REQUEST_QUEUE = 10_000;

  private RedisClients() {}

  /**
   * A client on {@code resources}; it closes only what it creates, never them.
   *
   * @throws RuntimeException if Lettuce refuses the options; the client is shut down first
   */
  static AbstractRedisClient create(ClientResources resources, List<RedisURI> uris,
      boolean cluster, Duration timeout) {
    SocketOptions socket = SocketOptions.builder().connectTimeout(timeout).build();
    TimeoutOptions timeouts = TimeoutOptions.enabled(timeout);
    if (cluster) {
      RedisClusterClient client = RedisClusterClient.create(resources, uris);
      try {
        client.setOptions(ClusterClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .requestQueueSize(REQUEST_QUEUE)
            .socketOptions(socket)
            .timeoutOptions(timeouts)
            .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                // Lettuce 7 also refreshes at once on MOVED, ASK, reconnects and unknown nodes
                // (all adaptive triggers are on by default): the near-cache feed follows it.
                .enablePeriodicRefresh(Duration.ofSeconds(30))
                .build())
            .build());
      } catch (RuntimeException e) {
        client.shutdown();
        throw e;
      }
      return client;
    }
    RedisClient client = RedisClient.create(resources);
    try {
      client.setOptions(ClientOptions.builder()
          .autoReconnect(true)
          .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
          .requestQueueSize(REQUEST_QUEUE)
          .socketOptions(socket)
          .timeoutOptions(timeouts)
          .build());
    } catch (RuntimeException e) {
      client.shutdown();
      throw e;
    }
    return client;
  }

  /**
   * The URIs of {@code urls} (one Sentinel URI, or comma-separated nodes), each with the
   * configured timeout and credentials.
   *
   * @throws CacheConfigException if a URI is invalid (its text is not shown: it may hold a
   *     password), or {@code redis.username} is set without {@code redis.password}
   */
  static List<RedisURI> parse(CacheConfig config, String urls) {
    List<RedisURI> uris = new ArrayList<>();
    try {
      if (urls.toLowerCase(Locale.ROOT).startsWith("redis-sentinel://")
          || urls.toLowerCase(Locale.ROOT).startsWith("rediss-sentinel://")) {
        uris.add(RedisURI.create(urls));
      } else {
        for (String url : urls.split(",")) {
          uris.add(RedisURI.create(url.trim()));
        }
      }
    } catch (RuntimeException e) {
      throw new CacheConfigException("redis.url", "Invalid value for key 'redis.url' (not shown: "
          + "it may hold a password): " + CacheConfig.maskSecrets(String.valueOf(e.getMessage())));
    }
    for (RedisURI uri : uris) {
      uri.setTimeout(config.timeout());
      if (config.get(RedisSettings.PASSWORD).isPresent()) {
        char[] password = config.get(RedisSettings.PASSWORD).get().toCharArray();
        if (config.get(RedisSettings.USERNAME).isPresent()) {
          uri.setAuthentication(config.get(RedisSettings.USERNAME).get(), password);
        } else {
          uri.setAuthentication(password);
        }
      } else if (config.get(RedisSettings.USERNAME).isPresent()) {
        throw new CacheConfigException("redis.username", "redis.username is set without "
            + "redis.password");
      }
    }
    return uris;
  }


  /**
   * Lettuce lost the server's handshake answer to a race (see RedisConnection): it reports
   * "RedisHandshakeHandler not registered", or "Connection closed prematurely" when it closed
   * the channel on a refused password before passing the refusal on.
   */
  static boolean isHandshakeRace(RuntimeException e) {
    if (refusal(e) != null) {
      return false; // the real answer is there
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalStateException
          && "RedisHandshakeHandler not registered".equals(t.getMessage())
          || "Connection closed prematurely".equals(t.getMessage())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code e} is a failure to connect worth retrying (not a refused login). */
  static boolean isConnectFailure(RuntimeException e) {
    // A refused password is a configuration error: retrying would only be refused again.
    return refusal(e) == null;
  }

  /**
   * The server's refusal of the credentials (WRONGPASS, NOAUTH, NOPERM) anywhere in {@code e}'s
   * chain, or null. Lettuce wraps it, or adds it as suppressed when the channel closes first, so
   * every cause and suppressed exception is read.
   */
  static @Nullable String refusal(Throwable e) {
    ArrayDeque<Throwable> todo = new ArrayDeque<>(List.of(e));
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    while (!todo.isEmpty()) {
      Throwable t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      String text = String.valueOf(t.getMessage());
      String upper = text.toUpperCase(Locale.ROOT);
      if (upper.contains("WRONGPASS") || upper.contains("NOAUTH") || upper.contains("NOPERM")) {
        return text;
      }
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      todo.addAll(List.of(t.getSuppressed()));
    }
    return null;
  }
}
