package io.ucache.jcache;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.Factory;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryEventFilter;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryListener;
import javax.cache.event.CacheEntryListenerException;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import org.jspecify.annotations.Nullable;

/**
 * A cache's entry listeners: each registration's listener and filter, made from their factories
 * once. A synchronous listener runs in the thread that changed the entry, before the operation
 * returns, and what it throws reaches that caller as a {@link CacheEntryListenerException}; an
 * asynchronous one runs on the executor, one event at a time and in order for each
 * registration, and what it throws is logged. Events are for this JVM's operations.
 * Thread-safe.
 */
final class EventDispatcher<K, V> {

  private static final Logger LOG = Logger.getLogger(EventDispatcher.class.getName());

  private final Executor executor;
  private final List<Registration<K, V>> registrations = new CopyOnWriteArrayList<>();

  EventDispatcher(Executor executor) {
    this.executor = executor;
  }

  /** Whether any listener is registered: if not, the cache builds no events. */
  boolean hasListeners() {
    return !registrations.isEmpty();
  }

  /** Registers {@code configuration}; false if an equal one is registered already. */
  synchronized boolean register(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> registration : registrations) {
      if (registration.configuration.equals(configuration)) {
        return false;
      }
    }
    registrations.add(new Registration<>(configuration, executor));
    return true;
  }

  synchronized void deregister(CacheEntryListenerConfiguration<K, V> configuration) {
    for (Registration<K, V> registration : registrations) {
      if (registration.configuration.equals(configuration)) {
        registrations.remove(registration);
        registration.close();
      }
    }
  }

  /** Delivers {@code event} to every registration that listens to its type and lets it pass. */
  void publish(JCacheEntryEvent<K, V> event) {
    for (Registration<K, V> registration : registrations) {
      registration.deliver(event);
    }
  }

  /**
   * The cache closes: waits for the asynchronous deliveries started so far, then closes the
   * listeners and filters that are {@code Closeable}.
   */
  synchronized void close() {
    for (Registration<K, V> registration : registrations) {
      registration.close();
    }
    registrations.clear();
  }

  /** One registered configuration: its listener and filter, and its delivery queue. */
  private static final class Registration<K, V> {
    final CacheEntryListenerConfiguration<K, V> configuration;
    private final CacheEntryListener<? super K, ? super V> listener;
    private final @Nullable CacheEntryEventFilter<? super K, ? super V> filter;
    private final Executor executor;
    /** The tail of this registration's asynchronous deliveries: each runs after the one before. */
    private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);

    Registration(CacheEntryListenerConfiguration<K, V> configuration, Executor executor) {
      this.configuration = configuration;
      this.listener = configuration.getCacheEntryListenerFactory().create();
      Factory<CacheEntryEventFilter<? super K, ? super V>> filterFactory =
          configuration.getCacheEntryEventFilterFactory();
      this.filter = filterFactory == null ? null : filterFactory.create();
      this.executor = executor;
    }

    void deliver(JCacheEntryEvent<K, V> event) {
      if (!listensTo(event)) {
        return;
      }
      JCacheEntryEvent<K, V> seen = configuration.isOldValueRequired() ? event
          : event.withoutOldValue();
      if (configuration.isSynchronous()) {
        if (passes(seen)) {
          call(seen);
        }
        return;
      }
      synchronized (this) {
        tail = tail.thenRunAsync(() -> {
          try {
            if (passes(seen)) {
              call(seen);
            }
          } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "An asynchronous cache entry listener failed on " + seen, e);
          }
        }, executor);
      }
    }

    void close() {
      CompletableFuture<Void> last;
      synchronized (this) {
        last = tail;
      }
      last.exceptionally(e -> null).join();
      Integration.closeQuietly(listener);
      Integration.closeQuietly(filter);
    }

    private boolean listensTo(JCacheEntryEvent<K, V> event) {
      return switch (event.getEventType()) {
        case CREATED -> listener instanceof CacheEntryCreatedListener;
        case UPDATED -> listener instanceof CacheEntryUpdatedListener;
        case REMOVED -> listener instanceof CacheEntryRemovedListener;
        case EXPIRED -> listener instanceof CacheEntryExpiredListener;
      };
    }

    private boolean passes(JCacheEntryEvent<K, V> event) {
      try {
        return filter == null || filter.evaluate(event);
      } catch (CacheEntryListenerException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CacheEntryListenerException("the listener's filter failed on " + event, e);
      }
    }

    @SuppressWarnings("unchecked")
    private void call(JCacheEntryEvent<K, V> event) {
      List<CacheEntryEvent<? extends K, ? extends V>> list = List.of(event);
      Iterable<CacheEntryEvent<? extends K, ? extends V>> events = list;
      try {
        switch (event.getEventType()) {
          case CREATED -> ((CacheEntryCreatedListener<K, V>) listener).onCreated(events);
          case UPDATED -> ((CacheEntryUpdatedListener<K, V>) listener).onUpdated(events);
          case REMOVED -> ((CacheEntryRemovedListener<K, V>) listener).onRemoved(events);
          case EXPIRED -> ((CacheEntryExpiredListener<K, V>) listener).onExpired(events);
        }
      } catch (CacheEntryListenerException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new CacheEntryListenerException("a cache entry listener failed on " + event, e);
      }
    }
  }
}
