package io.ucache.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.push.PushMessage;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One server's part of the near-cache feed: a RESP3 connection to it with {@code CLIENT
 * TRACKING ON BCAST PREFIX <namespace>:}, checked by a {@code ROLE} every
 * {@link RedisTracking#HEARTBEAT} and connected again, after a pause, when it fails or the
 * server is no longer a master. A demoted master (a Sentinel failover) keeps its clients, but
 * the writes now go to the new master: only the role tells the feed that it hears nothing more. Its client and scheduler belong to the
 * {@link RedisTracking} that made it. Thread-safe.
 */
final class TrackedNode {

  /** What the feed hears from the node. Called on Lettuce's and the feed's threads. */
  interface Events {
    void changed(byte[] redisKey);

    void changedAll();

    void lost(TrackedNode node, String cause);

    void restored(TrackedNode node);
  }

  private static final System.Logger LOG = System.getLogger("io.ucache.redis");
  /** How often a server that refused tracking is asked again. */
  static final Duration REFUSED_RETRY = Duration.ofSeconds(30);

  private final RedisClient client;
  private final ScheduledExecutorService scheduler;
  private final RedisURI uri;
  private final String prefix;
  private final Duration timeout;
  private final Events events;
  private @Nullable StatefulRedisConnection<byte[], byte[]> connection;
  private @Nullable ScheduledFuture<?> heartbeat;
  private boolean closed;
  /** Whether the one WARNING about a refusal of tracking was logged; on the feed's thread. */
  private boolean warnedRefused;

  TrackedNode(RedisClient client, ScheduledExecutorService scheduler, RedisURI uri,
      String prefix, Duration timeout, Events events) {
    this.client = client;
    this.scheduler = scheduler;
    this.uri = uri;
    this.prefix = prefix;
    this.timeout = timeout;
    this.events = events;
  }

  /** Connects in the background. */
  void start() {
    scheduler.execute(this::connect);
  }

  /** Whether the connection is up with tracking on. */
  synchronized boolean isLive() {
    return connection != null;
  }

  private void connect() {
    synchronized (this) {
      if (closed) {
        return;
      }
    }
    StatefulRedisConnection<byte[], byte[]> c;
    try {
      c = client.connect(ByteArrayCodec.INSTANCE, uri);
    } catch (RuntimeException e) {
      failed("cannot connect to " + where() + ": " + RedisEngine.message(e));
      return;
    }
    try {
      c.addListener(this::onPush);
      c.addListener(new RedisConnectionStateListener() {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
          drop(c, "the tracking connection to " + where() + " closed");
        }
      });
      c.sync().clientTracking(TrackingArgs.Builder.enabled().bcast()
          .prefixes(StandardCharsets.UTF_8, prefix));
      if (!isMaster(c.sync().role())) {
        c.closeAsync();
        failed(where() + " is a replica, not a master");
        return;
      }
    } catch (RedisCommandExecutionException e) {
      c.closeAsync();
      refused(RedisEngine.message(e));
      return;
    } catch (RuntimeException e) {
      c.closeAsync();
      failed("CLIENT TRACKING failed on " + where() + ": " + RedisEngine.message(e));
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
      long period = RedisTracking.HEARTBEAT.toMillis();
      heartbeat = scheduler.scheduleWithFixedDelay(() -> check(c), period, period,
          TimeUnit.MILLISECONDS);
    }
    events.restored(this);
  }

  private void check(StatefulRedisConnection<byte[], byte[]> c) {
    // Not waited for: the feed's one thread serves every node. The command timeout fails it.
    c.async().role().whenComplete((role, e) -> {
      if (e != null) {
        drop(c, "no answer to ROLE from " + where() + " within " + timeout.toMillis() + " ms");
      } else if (!isMaster(role)) {
        drop(c, where() + " is no longer a master");
      }
    });
  }

  /** Whether a {@code ROLE} reply names a master (its first element). */
  private static boolean isMaster(@Nullable List<Object> role) {
    if (role == null || role.isEmpty()) {
      return false;
    }
    Object first = role.get(0);
    String name = first instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
        : first instanceof ByteBuffer buffer ? StandardCharsets.UTF_8.decode(buffer.duplicate())
            .toString() : String.valueOf(first);
    return name.equals("master");
  }

  /** Drops the live connection, if any, and connects again (to the server it resolves now). */
  void reconnect(String cause) {
    StatefulRedisConnection<byte[], byte[]> c;
    synchronized (this) {
      c = connection;
    }
    if (c != null) {
      drop(c, cause);
    }
  }

  /** {@code c} may have missed changes: the node is lost until a new connection tracks. */
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
    events.lost(this, cause);
    c.closeAsync();
    retryLater();
  }

  /** A connect or tracking attempt failed: the feed hears why, and a retry follows. */
  private void failed(String cause) {
    LOG.log(System.Logger.Level.DEBUG, "Near-cache feed: " + cause);
    events.lost(this, cause);
    retryLater();
  }

  /**
   * The server refused tracking (Redis before 6 has no {@code CLIENT TRACKING}; an ACL or a
   * managed service may forbid it): near caches read Redis on every call, one WARNING says so,
   * and the feed asks again every {@link #REFUSED_RETRY}, in case the server changes.
   */
  private void refused(String error) {
    String cause = where() + " refused CLIENT TRACKING (" + error + ")";
    if (!warnedRefused) {
      warnedRefused = true;
      LOG.log(System.Logger.Level.WARNING, "Near caches read Redis on every call: " + cause
          + ". They need Redis 6 or later with CLIENT TRACKING allowed; asking again every "
          + REFUSED_RETRY.toSeconds() + " s.");
    }
    events.lost(this, cause);
    retryAfter(REFUSED_RETRY);
  }

  private void retryLater() {
    retryAfter(RedisTracking.HEARTBEAT);
  }

  private synchronized void retryAfter(Duration pause) {
    if (!closed) {
      scheduler.schedule(this::connect, pause.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void onPush(PushMessage message) {
    if (!"invalidate".equals(message.getType())) {
      return;
    }
    List<Object> content = message.getContent(TrackedNode::bytes);
    Object keys = content.size() > 1 ? content.get(1) : null;
    if (keys instanceof List<?> list) {
      for (Object key : list) {
        if (key instanceof byte[] redisKey) {
          events.changed(redisKey);
        }
      }
    } else {
      events.changedAll(); // FLUSHDB, FLUSHALL: a null list
    }
  }

  private static Object bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.get(out);
    return out;
  }

  private String where() {
    return uri.getSentinels().isEmpty() ? uri.getHost() + ":" + uri.getPort()
        : "the master of " + uri.getSentinelMasterId();
  }

  /**
   * Closes the connection; the feed hears nothing more from this node. The returned stage
   * completes once the client no longer holds the connection (so a shutdown of the client that
   * waits for it does not close it twice, which Lettuce logs as a warning).
   */
  CompletableFuture<Void> close() {
    StatefulRedisConnection<byte[], byte[]> c;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.completedFuture(null);
      }
      closed = true;
      c = connection;
      connection = null;
      if (heartbeat != null) {
        heartbeat.cancel(false);
      }
    }
    return c == null ? CompletableFuture.completedFuture(null) : c.closeAsync();
  }
}
