package io.ucache.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.spi.CircuitBreaker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The one shared connection of an engine and the Lettuce client it created for it, on the
 * JVM's shared {@link ClientResources} (event loops, timer; {@link SharedClientResources}, one
 * lease per connection). Lettuce pipelines the commands of every thread over it.
 *
 * <p>Commands are never queued while disconnected: {@code REJECT_COMMANDS} fails them at once,
 * so a write the caller saw fail can never be replayed later over a stale value. Lettuce
 * reconnects by itself; if the server was down at open, with {@code fail-mode=open}, this class
 * retries the first connect in the background. Thread-safe.
 *
 * <p>Through a Sentinel ({@code redis-sentinel://}), a {@link SentinelWatch} reports each switch
 * of master ({@code +switch-master}, or a periodic ask for a missed one) and this connection
 * moves to the new master at once. What can still be lost in a failover: a write the old
 * master acknowledged after Sentinel promoted the replica and before the switch reached this
 * JVM (Sentinel publishes {@code +switch-master} about a second after the promotion; the
 * message and one connect add a few milliseconds), or up to {@link SentinelWatch#CHECK_EVERY}
 * longer if every subscription was down; a command in flight at the swap fails and is counted.
 * Redis's own {@code min-replicas-to-write} on the master narrows the first window.
 */
final class RedisConnection {

  private static final System.Logger LOG = System.getLogger(RedisConnection.class.getName());
  /** Delay between first-connect attempts in the background. */
  private static final Duration RETRY = Duration.ofMillis(200);
  /** Connect attempts when Lettuce loses the handshake answer to a race. */
  private static final int HANDSHAKE_ATTEMPTS = 3;

  private final CacheConfig config;
  /** This engine's hold on the JVM's shared event loops and timer. */
  private final SharedClientResources.Lease lease;
  private final ClientResources resources;
  private final AbstractRedisClient client;
  private final List<RedisURI> uris;
  private final boolean cluster;
  /** One breaker for the engine: every cache shares the connection that fails. */
  private final CircuitBreaker breaker;
  /** In a Cluster, one breaker per master; {@code null} otherwise. */
  private final @Nullable NodeBreakers nodeBreakers;
  private volatile @Nullable StatefulConnection<byte[], byte[]> connection;
  private volatile @Nullable RedisClusterAsyncCommands<byte[], byte[]> commands;
  private volatile @Nullable String lastFailure;
  private volatile boolean closed;
  /** Through a Sentinel: what tells this connection that the master moved. */
  private volatile @Nullable SentinelWatch sentinelWatch;
  /** Through a Sentinel: the master's {@code host:port} as Sentinel last reported it. */
  private final AtomicReference<@Nullable String> master = new AtomicReference<>();
  private final AtomicBoolean switching = new AtomicBoolean();
  private final AtomicLong masterSwitches = new AtomicLong();
  /** Told the address of each new master a Sentinel switches this connection to. */
  private final List<Consumer<String>> masterSwitchListeners = new CopyOnWriteArrayList<>();
  /** What lives on this connection's resources and closes before it (the near-cache feed). */
  private final List<AutoCloseable> closedFirst = new CopyOnWriteArrayList<>();

  private RedisConnection(CacheConfig config, SharedClientResources.Lease lease,
      AbstractRedisClient client, List<RedisURI> uris, boolean cluster) {
    this.config = config;
    this.lease = lease;
    this.resources = lease.resources();
    this.client = client;
    this.uris = uris;
    this.cluster = cluster;
    this.breaker = CircuitBreaker.create(RedisEngineProvider.NAME, "Redis at " + where(), config);
    this.nodeBreakers = cluster
        ? new NodeBreakers((RedisClusterClient) client, config, where(), breaker) : null;
  }

  /**
   * Connects to the server of {@code config}.
   *
   * @throws CacheConfigException if {@code redis.url} is missing or invalid
   * @throws EngineUnavailableException with {@code fail-mode=closed}, if it cannot connect
   */
  static RedisConnection open(CacheConfig config) {
    String urls = config.get(RedisSettings.URL).orElseThrow(() -> new CacheConfigException("redis.url",
        "The redis engine needs redis.url, such as redis://localhost:6379"));
    List<RedisURI> uris = RedisClients.parse(config, urls);
    boolean cluster = config.get(RedisSettings.CLUSTER).orElse(false) || uris.size() > 1;
    SharedClientResources.Lease lease = SharedClientResources.acquire();
    AbstractRedisClient client = null;
    RedisConnection connection;
    try {
      client = RedisClients.create(lease.resources(), uris, cluster, config.timeout());
      connection = new RedisConnection(config, lease, client, uris, cluster);
    } catch (RuntimeException | Error e) {
      // Nothing holds the client or the lease yet: release them here, or they leak.
      if (client != null) {
        shutdownQuietly(client, 0);
      }
      lease.close();
      throw e;
    }
    try {
      RedisURI first = uris.get(0);
      if (!cluster && !first.getSentinels().isEmpty()) {
        connection.sentinelWatch = SentinelWatch.start((RedisClient) connection.client, first,
            connection::onMasterReported);
      }
      connection.connect();
    } catch (RuntimeException e) {
      if (config.failMode() == FailMode.CLOSED || !RedisClients.isConnectFailure(e)) {
        connection.close();
        throw connection.unavailable("Cannot connect to Redis at " + connection.where(), e);
      }
      connection.lastFailure = RedisEngine.message(e);
      connection.retryLater();
    } catch (Error e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  private void connect() {
    StatefulConnection<byte[], byte[]> connected;
    RedisClusterAsyncCommands<byte[], byte[]> async;
    if (cluster) {
      RedisClusterClient clusterClient = (RedisClusterClient) client;
      StatefulRedisClusterConnection<byte[], byte[]> c = clusterClient.connect(ByteArrayCodec.INSTANCE);
      try {
        // Lettuce opens a node's connection on its first command; with commands rejected while
        // not connected, that first command would fail. Open them all now.
        for (RedisClusterNode node : clusterClient.getPartitions()) {
          c.getConnection(node.getUri().getHost(), node.getUri().getPort());
        }
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
      connected = c;
      async = c.async();
    } else {
      SentinelWatch watch = sentinelWatch;
      if (watch != null) {
        // Asked just before Lettuce asks the same Sentinels: a switch in between is reported
        // by the watch as a move away from this address, which costs one needless reconnect.
        master.set(watch.askNow(config.timeout()));
      }
      StatefulRedisConnection<byte[], byte[]> c = connectStandalone();
      connected = c;
      async = c.async();
    }
    connected.setTimeout(config.timeout());
    synchronized (this) {
      if (closed) {
        connected.closeAsync();
        return;
      }
      connection = connected;
      commands = async;
    }
  }

  /**
   * A Sentinel reported {@code address} as the master: if it is not the one this connection
   * uses, connect to it (through the Sentinel, as at open) and swap the connection at once,
   * without blocking the Lettuce thread that reports it. Commands in flight on the old
   * connection get their answers before it closes; a write the demoted master refuses fails
   * ({@code EngineUnavailableException}), so it is counted, never taken for written. A failed
   * connect is tried again at the next report.
   */
  private void onMasterReported(String address) {
    // An unknown master (no Sentinel answered at connect) counts as moved: a needless
    // reconnect costs a millisecond, staying on a demoted master loses writes.
    if (closed || address.equals(master.get())) {
      return;
    }
    if (!switching.compareAndSet(false, true)) {
      return; // every Sentinel publishes the switch: one reconnect is enough
    }
    try {
      ((RedisClient) client).connectAsync(ByteArrayCodec.INSTANCE, uris.get(0))
          .whenComplete((c, failure) -> {
            try {
              if (failure != null) {
                lastFailure = RedisEngine.message(failure);
                return;
              }
              swap(c, address);
            } finally {
              switching.set(false);
            }
          });
    } catch (RuntimeException e) {
      switching.set(false); // the client is shutting down
    }
  }

  private void swap(StatefulRedisConnection<byte[], byte[]> next, String address) {
    next.setTimeout(config.timeout());
    StatefulConnection<byte[], byte[]> old;
    boolean moved;
    synchronized (this) {
      if (closed) {
        next.closeAsync();
        return;
      }
      old = connection;
      connection = next;
      commands = next.async();
      moved = master.getAndSet(address) != null;
    }
    if (moved) {
      masterSwitches.incrementAndGet();
      LOG.log(System.Logger.Level.INFO, () -> "Redis at " + where() + ": the Sentinel switched "
          + "the master to " + address + "; the engine now writes there");
      masterSwitchListeners.forEach(listener -> listener.accept(address));
    }
    if (old instanceof StatefulRedisConnection<byte[], byte[]> drained) {
      // Replies come in order: once this PING is answered (or fails, or times out), every
      // command sent before the swap has its answer, so closing cannot fail them.
      drained.async().ping().whenComplete((pong, failure) -> drained.closeAsync());
    }
  }

  /** Through a Sentinel: the master this connection writes to, {@code null} if unknown. */
  @Nullable String master() {
    return master.get();
  }

  /** How many times a Sentinel's report moved this connection from a known master to another. */
  long masterSwitches() {
    return masterSwitches.get();
  }

  /** Tries the first connect again after a short delay, until it succeeds or the engine closes. */
  private void retryLater() {
    if (closed) {
      return;
    }
    try {
      resources.eventExecutorGroup().schedule(() -> {
        if (closed || commands != null) {
          return;
        }
        try {
          connect();
        } catch (RuntimeException e) {
          lastFailure = RedisEngine.message(e);
          retryLater();
        }
      }, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // The executor is shutting down: the engine is closing.
    }
  }

  /**
   * The commands of the connection.
   *
   * @throws EngineUnavailableException if the first connect has not succeeded yet
   */
  RedisClusterAsyncCommands<byte[], byte[]> commands() {
    RedisClusterAsyncCommands<byte[], byte[]> async = commands;
    if (async == null) {
      throw new EngineUnavailableException(RedisEngineProvider.NAME, "Not connected to Redis at "
          + where() + " yet (connecting in the background): " + lastFailure);
    }
    return async;
  }

  /**
   * The engine's circuit breaker: the one to ask before a command that spans masters (SCAN,
   * clear, a multi-key MGET or UNLINK), and before every command outside a Cluster.
   */
  CircuitBreaker breaker() {
    return breaker;
  }

  /**
   * The breaker to ask before a command on {@code redisKey} alone: in a Cluster, the breaker of
   * the master that serves the key's slot ({@link NodeBreakers}), so one master down never stops
   * the keys of the others; else {@link #breaker()}.
   */
  CircuitBreaker breakerFor(byte[] redisKey) {
    return nodeBreakers == null ? breaker : nodeBreakers.forKey(redisKey);
  }

  /**
   * Which master serves {@code redisKey}: a Cluster node id, or {@code ""} outside a Cluster (or
   * while the topology is unknown). Keys of one master fail and recover together, so a cache can
   * apply the failed evictions of that master alone before a command on one of its keys.
   */
  String nodeOf(byte[] redisKey) {
    return nodeBreakers == null ? "" : nodeBreakers.nodeOf(redisKey);
  }

  /** Every Cluster master's breaker made so far, by node id (health: one open is degraded). */
  Map<String, CircuitBreaker> nodeBreakers() {
    return nodeBreakers == null ? Map.of() : nodeBreakers.all();
  }

  boolean isCluster() {
    return cluster;
  }

  /** Whether the engine finds its master through Sentinels. */
  boolean isSentinel() {
    return !cluster && !uris.get(0).getSentinels().isEmpty();
  }

  /**
   * The servers that hold this engine's keys, as URIs with its credentials and timeout: the
   * standalone server, the Sentinels' master (one URI that resolves it at each connect), or each
   * master of a Cluster that serves slots, as the client knows the topology now (a master marked
   * failed included: until the Cluster replaces it, it still owns its keys).
   *
   * @throws RuntimeException while a Cluster's topology is not loaded yet
   */
  List<RedisURI> trackedServers() {
    RedisURI first = uris.get(0);
    if (!cluster) {
      return List.of(first);
    }
    List<RedisURI> masters = new ArrayList<>();
    for (RedisClusterNode node : ((RedisClusterClient) client).getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM) && !node.getSlots().isEmpty()) {
        masters.add(RedisURI.builder(first).withHost(node.getUri().getHost())
            .withPort(node.getUri().getPort()).build());
      }
    }
    return masters;
  }

  /** The JVM's shared Lettuce resources this connection leases. */
  ClientResources resources() {
    return resources;
  }

  /** Whether the connection is up now. */
  boolean isConnected() {
    StatefulConnection<byte[], byte[]> c = connection;
    return c != null && c.isOpen();
  }

  AbstractRedisClient client() {
    return client;
  }

  @Nullable StatefulConnection<byte[], byte[]> connection() {
    return connection;
  }

  /** Where the engine connects, passwords masked. */
  String where() {
    return CacheConfig.maskSecrets(config.get(RedisSettings.URL).orElse("?"));
  }

  EngineUnavailableException unavailable(String what, Throwable cause) {
    String message = what + ": " + RedisEngine.message(cause);
    String password = config.get(RedisSettings.PASSWORD).orElse(null);
    if (password != null && password.length() > 0) {
      message = message.replace(password, "****");
    }
    // The cause is left out: a driver's message may quote the URL with its password.
    return new EngineUnavailableException(RedisEngineProvider.NAME, message);
  }

  /**
   * Connects to the standalone or Sentinel-reported master. When the server answers the
   * handshake before Lettuce's connect listener runs, Lettuce reports "RedisHandshakeHandler not
   * registered" instead of the server's answer (a refused password, or a success), and under
   * load a refused password may come back as "Connection closed prematurely" alone; connecting
   * again gives the real outcome.
   */
  private StatefulRedisConnection<byte[], byte[]> connectStandalone() {
    for (int attempt = 1; ; attempt++) {
      try {
        return ((RedisClient) client).connect(ByteArrayCodec.INSTANCE, uris.get(0));
      } catch (RuntimeException e) {
        if (attempt == HANDSHAKE_ATTEMPTS || !RedisClients.isHandshakeRace(e)) {
          throw e;
        }
      }
    }
  }

  /** Calls {@code listener} with the new master's address after each Sentinel switch. */
  void onMasterSwitch(Consumer<String> listener) {
    masterSwitchListeners.add(listener);
  }

  /** Closes {@code companion} when this connection closes, first (also after a leak). */
  void closeWith(AutoCloseable companion) {
    closedFirst.add(companion);
  }

  /**
   * Closes the connection and the client and releases the shared resources; the last engine's
   * close shuts them down and waits for their threads to end.
   */
  void close() {
    StatefulConnection<byte[], byte[]> c;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      for (AutoCloseable companion : closedFirst) {
        try {
          companion.close();
        } catch (Exception e) {
          // Closing what may already be broken; the client's shutdown follows anyway.
        }
      }
      if (sentinelWatch != null) {
        sentinelWatch.close();
      }
      c = connection;
      connection = null;
      commands = null;
    }
    long millis = Math.max(2_000, config.timeout().toMillis() * 2);
    try {
      if (c != null) {
        c.close();
      }
    } catch (RuntimeException e) {
      // Closing a broken connection may fail; the client shutdown below releases it anyway.
    } finally {
      try {
        shutdownQuietly(client, millis);
      } finally {
        lease.close(Duration.ofMillis(millis));
      }
    }
  }

  /** Shuts a client down (it closes only what it created, never the shared resources). */
  private static void shutdownQuietly(AbstractRedisClient client, long millis) {
    try {
      client.shutdown(0, millis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // Already shutting down, or a connection failed to close: nothing else holds it.
    }
  }
}
