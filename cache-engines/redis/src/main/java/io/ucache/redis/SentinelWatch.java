package io.ucache.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Watches the Sentinels of one master for a switch, so that the engine leaves a demoted master
 * at once instead of when Sentinel reconfigures it (at its next 10-second INFO round) or the
 * connection breaks.
 *
 * <p>Two signals, both asynchronous on Lettuce's threads: a pub/sub subscription to
 * {@code +switch-master} on every Sentinel (Lettuce resubscribes after a reconnect), which Sentinel
 * publishes the moment it switches; and, for a message missed while a subscription was down, a
 * {@code SENTINEL GET-MASTER-ADDR-BY-NAME} every {@link #CHECK_EVERY}. Either calls
 * {@code onSwitch} with the new master's {@code host:port}; the caller ignores an address it
 * already uses. Thread-safe. <b>Nulls:</b> none accepted.
 */
final class SentinelWatch {

  /** How often a Sentinel is asked for the master, in case a {@code +switch-master} was missed. */
  static final Duration CHECK_EVERY = Duration.ofSeconds(2);
  private static final String CHANNEL = "+switch-master";
  private static final System.Logger LOG = System.getLogger(SentinelWatch.class.getName());

  private final RedisClient client;
  private final RedisURI sentinelUri;
  private final String master;
  private final Consumer<String> onSwitch;
  private final List<StatefulRedisPubSubConnection<String, String>> subscriptions =
      new ArrayList<>();
  private @Nullable StatefulRedisSentinelConnection<String, String> query;
  private @Nullable ScheduledFuture<?> check;
  private boolean closed;

  private SentinelWatch(RedisClient client, RedisURI sentinelUri, Consumer<String> onSwitch) {
    this.client = client;
    this.sentinelUri = sentinelUri;
    this.master = sentinelUri.getSentinelMasterId();
    this.onSwitch = onSwitch;
  }

  /**
   * Starts watching the master of {@code sentinelUri} (a {@code redis-sentinel://} URI). Nothing
   * blocks: a Sentinel that cannot be reached now is left to the periodic check.
   */
  static SentinelWatch start(RedisClient client, RedisURI sentinelUri, Consumer<String> onSwitch) {
    SentinelWatch watch = new SentinelWatch(client, sentinelUri, onSwitch);
    for (RedisURI sentinel : sentinelUri.getSentinels()) {
      watch.subscribe(sentinel);
    }
    watch.scheduleCheck();
    return watch;
  }

  private void subscribe(RedisURI sentinel) {
    client.connectPubSubAsync(StringCodec.UTF8, sentinel).whenComplete((pubSub, failure) -> {
      if (failure != null) {
        LOG.log(System.Logger.Level.DEBUG, () -> "Sentinel " + sentinel.getHost() + ":"
            + sentinel.getPort() + " not subscribed: " + RedisEngine.message(failure));
        return;
      }
      synchronized (this) {
        if (closed) {
          pubSub.closeAsync();
          return;
        }
        subscriptions.add(pubSub);
      }
      pubSub.addListener(new RedisPubSubAdapter<>() {
        @Override
        public void message(String channel, String message) {
          // "<master> <old-ip> <old-port> <new-ip> <new-port>"
          String[] parts = message.split(" ");
          if (CHANNEL.equals(channel) && parts.length == 5 && parts[0].equals(master)) {
            onSwitch.accept(parts[3] + ":" + parts[4]);
          }
        }
      });
      pubSub.async().subscribe(CHANNEL);
    });
  }

  /**
   * The master's {@code host:port} as a Sentinel reports it now, asked and answered on the
   * calling thread within {@code timeout}; {@code null} if no Sentinel answers.
   */
  @Nullable String askNow(Duration timeout) {
    try {
      StatefulRedisSentinelConnection<String, String> sentinel;
      synchronized (this) {
        sentinel = query;
      }
      if (sentinel == null || !sentinel.isOpen()) {
        sentinel = client.connectSentinelAsync(StringCodec.UTF8, sentinelUri)
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        keep(sentinel);
      }
      SocketAddress address = sentinel.async().getMasterAddrByName(master)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return address == null ? null : hostAndPort(address);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (Exception e) {
      return null; // the connect that follows reports why the Sentinels cannot be reached
    }
  }

  private void scheduleCheck() {
    long millis = CHECK_EVERY.toMillis();
    try {
      ScheduledFuture<?> scheduled = client.getResources().eventExecutorGroup()
          .scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
      synchronized (this) {
        if (closed) {
          scheduled.cancel(false);
        } else {
          check = scheduled;
        }
      }
    } catch (RuntimeException e) {
      // The shared executor is shutting down: so is the last engine, this one included.
    }
  }

  private void check() {
    StatefulRedisSentinelConnection<String, String> sentinel;
    synchronized (this) {
      if (closed) {
        return;
      }
      sentinel = query;
    }
    CompletableFuture<StatefulRedisSentinelConnection<String, String>> connected =
        sentinel != null && sentinel.isOpen() ? CompletableFuture.completedFuture(sentinel)
            : client.connectSentinelAsync(StringCodec.UTF8, sentinelUri);
    connected.thenCompose(c -> {
      keep(c);
      return c.async().getMasterAddrByName(master);
    }).whenComplete((address, failure) -> {
      if (failure == null && address != null) {
        onSwitch.accept(hostAndPort(address));
      }
    });
  }

  private void keep(StatefulRedisSentinelConnection<String, String> sentinel) {
    StatefulRedisSentinelConnection<String, String> stale = null;
    synchronized (this) {
      if (closed) {
        stale = sentinel;
      } else if (query != sentinel) {
        stale = query;
        query = sentinel;
      }
    }
    if (stale != null) {
      stale.closeAsync();
    }
  }

  static String hostAndPort(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      return inet.getHostString() + ":" + inet.getPort();
    }
    return address.toString();
  }

  /** Stops the check and closes the Sentinel connections; idempotent. */
  void close() {
    List<AutoCloseableConnection> toClose = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (check != null) {
        check.cancel(false);
      }
      subscriptions.forEach(s -> toClose.add(s::closeAsync));
      StatefulRedisSentinelConnection<String, String> q = query;
      if (q != null) {
        toClose.add(q::closeAsync);
      }
      subscriptions.clear();
      query = null;
    }
    toClose.forEach(AutoCloseableConnection::close);
  }

  /** A connection's {@code closeAsync}, called outside the lock. */
  @FunctionalInterface
  private interface AutoCloseableConnection {
    void close();
  }
}
