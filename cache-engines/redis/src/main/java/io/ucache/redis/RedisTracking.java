package io.ucache.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.ucache.spi.NearFeedRelay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The redis engine's feed of changes, for its near caches: on every server that holds its keys
 * (the server, the master the Sentinels name, or each master of a Cluster) a RESP3 connection
 * of its own on which {@code CLIENT TRACKING ON BCAST PREFIX <namespace>:} makes the server push
 * the name of every key under the namespace that any client changes, expires or evicts.
 *
 * <p><b>Why broadcasting.</b> Default tracking remembers the keys each connection read, so the
 * reads would have to go through a tracked connection; after any reconnect of the engine's
 * shared connection the server would have forgotten them, and a read in that window would never
 * be invalidated. Broadcasting needs no memory of reads: these connections alone decide whether
 * changes are seen, so their health is the feed's health. The cost is a message per change under
 * the namespace, to every process, read or not.
 *
 * <p><b>Never trusted blindly.</b> Lettuce does not reconnect them (see {@link TrackedNode}). The
 * listener hears {@code lost} the moment any node's connection fails, or a master the feed does
 * not track yet appears (the servers are asked for every {@link #HEARTBEAT}), and {@code
 * restored} only once every current master is tracked again. Thread-safe.
 */
final class RedisTracking implements AutoCloseable {

  /** How often each connection is checked, and the masters compared with the tracked ones. */
  static final Duration HEARTBEAT = Duration.ofMillis(500);

  private final RedisClient client;
  private final ScheduledExecutorService scheduler;
  private final Supplier<List<RedisURI>> servers;
  private final String prefix;
  private final Duration timeout;
  private final NearFeedRelay<RedisEngine, byte[]> listener;
  /** The tracked servers by address; guarded by {@code this}, as are the fields below. */
  private final Map<String, TrackedNode> nodes = new HashMap<>();
  private final TrackedNode.Events events = new NodeEvents();
  private boolean live;
  private boolean started;
  private boolean closed;

  /**
   * @param servers the servers to track now, asked at start and every {@link #HEARTBEAT}; an
   *     exception keeps the ones tracked
   */
  RedisTracking(ClientResources resources, Supplier<List<RedisURI>> servers, String namespace,
      Duration timeout, NearFeedRelay<RedisEngine, byte[]> listener) {
    this.servers = servers;
    this.prefix = namespace + ":";
    this.timeout = timeout;
    this.listener = listener;
    this.client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(false)
        .protocolVersion(ProtocolVersion.RESP3)
        .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
        .timeoutOptions(TimeoutOptions.enabled(timeout))
        .build());
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "ucache-redis-tracking");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Starts tracking in the background, once; later calls do nothing. */
  synchronized void start() {
    if (!started && !closed) {
      started = true;
      long period = HEARTBEAT.toMillis();
      scheduler.scheduleWithFixedDelay(this::followServers, 0, period, TimeUnit.MILLISECONDS);
    }
  }

  /** Starts tracking servers that hold keys now, and stops tracking those that no longer do. */
  private void followServers() {
    List<RedisURI> now;
    try {
      now = servers.get();
    } catch (RuntimeException e) {
      return; // no topology to compare yet: the tracked nodes still report their own health
    }
    Map<String, RedisURI> wanted = new HashMap<>();
    for (RedisURI uri : now) {
      wanted.put(address(uri), uri);
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      nodes.entrySet().removeIf(tracked -> {
        boolean gone = !wanted.containsKey(tracked.getKey());
        if (gone) {
          tracked.getValue().close();
        }
        return gone;
      });
      for (Map.Entry<String, RedisURI> server : wanted.entrySet()) {
        if (!nodes.containsKey(server.getKey())) {
          TrackedNode node = new TrackedNode(client, scheduler, server.getValue(), prefix,
              timeout, events);
          nodes.put(server.getKey(), node);
          if (live) {
            lose("a master the near caches do not track yet serves keys: " + server.getKey());
          }
          node.start();
        }
      }
      restoreIfAllLive();
    }
  }

  private static String address(RedisURI uri) {
    return uri.getSentinels().isEmpty() ? uri.getHost() + ":" + uri.getPort()
        : "sentinels:" + uri.getSentinelMasterId();
  }

  /** Drops every tracking connection and connects them again (to the servers they resolve). */
  void reconnect(String cause) {
    List<TrackedNode> tracked;
    synchronized (this) {
      tracked = List.copyOf(nodes.values());
    }
    tracked.forEach(node -> node.reconnect(cause));
  }

  // The listener's lost and restored run under this object's lock, in the order they happen:
  // a "restored" that overtook a later "lost" would make stale copies servable.
  private void lose(String cause) {
    live = false;
    listener.lost(cause);
  }

  private void restoreIfAllLive() {
    if (!live && !nodes.isEmpty() && nodes.values().stream().allMatch(TrackedNode::isLive)) {
      live = true;
      listener.restored();
    }
  }

  private final class NodeEvents implements TrackedNode.Events {
    @Override
    public void changed(byte[] redisKey) {
      listener.changed(redisKey);
    }

    @Override
    public void changedAll() {
      listener.changedAll();
    }

    @Override
    public void lost(TrackedNode node, String cause) {
      synchronized (RedisTracking.this) {
        if (!closed && nodes.containsValue(node)) {
          lose(cause);
        }
      }
    }

    @Override
    public void restored(TrackedNode node) {
      synchronized (RedisTracking.this) {
        if (!closed && nodes.containsValue(node)) {
          restoreIfAllLive();
        }
      }
    }
  }

  /** Stops the feed and closes its connections and client; the listener hears nothing more. */
  @Override
  public void close() {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      nodes.values().forEach(node -> closing.add(node.close()));
      nodes.clear();
    }
    scheduler.shutdownNow();
    long millis = Math.max(2_000, timeout.toMillis() * 2);
    try {
      // The client's shutdown closes what it still holds: the connections must be gone first.
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new))
          .get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // A connection that failed to close is released by the shutdown below.
    }
    try {
      client.shutdown(0, millis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      // Already shutting down.
    }
  }
}
