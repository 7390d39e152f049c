package io.ucache.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The redis engine's feed of changes, for its near caches: a RESP3 connection of its own on
 * which {@code CLIENT TRACKING ON BCAST PREFIX <namespace>:} makes the server push the name of
 * every key under the namespace that any client changes, expires or evicts.
 *
 * <p><b>Why broadcasting.</b> Default tracking remembers the keys each connection read, so the
 * reads would have to go through a tracked connection; after any reconnect of the engine's
 * shared connection the server would have forgotten them, and a read in that window would never
 * be invalidated. Broadcasting needs no memory of reads: this connection alone decides whether
 * changes are seen, so its health is the feed's health. The cost is a message per change under
 * the namespace, to every process, read or not.
 *
 * <p><b>Never trusted blindly.</b> Lettuce does not reconnect it: when it closes, or a PING every
 * {@link #HEARTBEAT} goes unanswered within the engine's {@code timeout} (a paused or unreachable
 * server keeps a socket open and pushes nothing), the listener hears {@code lost} at once, and
 * {@code restored} only once a new connection has tracking on again. Thread-safe.
 */
final class RedisTracking implements AutoCloseable {

  /** How often the connection is checked. */
  static final Duration HEARTBEAT = Duration.ofMillis(500);

  /** What the engine does with the feed. Called on Lettuce's and the feed's threads. */
  interface Listener {
    /** The key {@code redisKey} changed. */
    void changed(byte[] redisKey);

    /** Every key may have changed (the server flushed its database). */
    void changedAll();

    /** Changes may be missed from now on. */
    void lost(String cause);

    /** Changes are delivered again. */
    void restored();
  }

  private static final System.Logger LOG = System.getLogger("io.ucache.redis");

  private final RedisClient client;
  private final RedisURI uri;
  private final String prefix;
  private final Duration timeout;
  private final Listener listener;
  private final ScheduledExecutorService scheduler;
  private @Nullable StatefulRedisConnection<byte[], byte[]> connection;
  private @Nullable ScheduledFuture<?> heartbeat;
  private boolean started;
  private boolean closed;

  RedisTracking(ClientResources resources, RedisURI uri, String namespace, Duration timeout,
      Listener listener) {
    this.uri = uri;
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

  /** Connects in the background, once; later calls do nothing. */
  synchronized void start() {
    if (!started && !closed) {
      started = true;
      scheduler.execute(this::connect);
    }
  }

  private void connect() {
    StatefulRedisConnection<byte[], byte[]> c;
    try {
      c = client.connect(ByteArrayCodec.INSTANCE, uri);
    } catch (RuntimeException e) {
      failed("cannot connect: " + RedisEngine.message(e));
      return;
    }
    try {
      c.addListener(this::onPush);
      c.addListener(new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
          drop(c, "the tracking connection closed");
        }
      });
      c.sync().clientTracking(TrackingArgs.Builder.enabled().bcast()
          .prefixes(StandardCharsets.UTF_8, prefix));
    } catch (RuntimeException e) {
      c.closeAsync();
      failed("CLIENT TRACKING failed (Redis 6 or later is needed): " + RedisEngine.message(e));
      return;
    }
    synchronized (this) {
      if (closed || !c.isOpen()) {
        c.closeAsync();
        if (!closed) {
          retryLater();
        }
        return;
      }
      connection = c;
      long period = HEARTBEAT.toMillis();
      heartbeat = scheduler.scheduleWithFixedDelay(() -> check(c), period, period,
          TimeUnit.MILLISECONDS);
    }
    listener.restored();
  }

  private void check(StatefulRedisConnection<byte[], byte[]> c) {
    try {
      c.async().ping().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      drop(c, "no answer to PING within " + timeout.toMillis() + " ms");
    }
  }

  /** Drops the live connection, if any, and connects again (to the master it resolves now). */
  void reconnect(String cause) {
    StatefulRedisConnection<byte[], byte[]> c;
    synchronized (this) {
      c = connection;
    }
    if (c != null) {
      drop(c, cause);
    }
  }

  /** {@code c} may have missed changes: the feed is lost until a new connection tracks. */
  private void drop(StatefulRedisConnection<byte[], byte[]> c, String cause) {
    synchronized (this) {
      if (connection != c) {
        return; // already dropped, or never the live one
      }
      connection = null;
      if (heartbeat != null) {
        heartbeat.cancel(false);
        heartbeat = null;
      }
    }
    listener.lost(cause);
    c.closeAsync();
    retryLater();
  }

  /** A connect or tracking attempt failed: the listener hears why, and a retry follows. */
  private void failed(String cause) {
    LOG.log(System.Logger.Level.DEBUG, "Near-cache feed: " + cause);
    listener.lost(cause);
    retryLater();
  }

  private synchronized void retryLater() {
    if (!closed) {
      scheduler.schedule(this::connect, HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void onPush(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(RedisTracking::bytes);
    Object keys = content.size() > 1 ? content.get(1) : null;
    if (keys instanceof List<?> list) {
      for (Object key : list) {
        if (key instanceof byte[] redisKey) {
          listener.changed(redisKey);
        }
      }
    } else {
      listener.changedAll(); // FLUSHDB, FLUSHALL: a null list
    }
  }

  private static Object bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  /** Stops the feed and closes its connection and client; the listener hears nothing more. */
  @Override
  public void close() {
    StatefulRedisConnection<byte[], byte[]> c;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      c = connection;
      connection = null;
    }
    scheduler.shutdownNow();
    try {
      if (c != null) {
        c.close();
      }
    } catch (RuntimeException e) {
      // A broken connection may fail to close; the client's shutdown releases it.
    } finally {
      try {
        client.shutdown(0, Math.max(2_000, timeout.toMillis() * 2), TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        // Already shutting down.
      }
    }
  }
}
