package io.ucache.spi;

import org.jspecify.annotations.Nullable;

/**
 * Whether an engine's invalidation feed is live: the state every near cache of one engine
 * shares. Near caches serve their copies only while the feed is live;
 * the engine marks it lost the moment it may miss a change, and restored once changes flow again
 * (each flushing every near cache, see {@link AbstractEngine#nearFeedLost}). Thread-safe.
 */
final class NearFeed {

  private volatile boolean live;
  /** Null until the feed fails once: starting is not a failure a health check reports. */
  private volatile @Nullable String lostBecause;

  boolean isLive() {
    return live;
  }

  /** Why the feed is not live, or {@code null} while it is. */
  @Nullable String lostBecause() {
    return lostBecause;
  }

  /** Marks the feed lost; whether it was live until now. */
  boolean lost(String cause) {
    boolean wasLive = live;
    live = false;
    lostBecause = cause;
    return wasLive;
  }

  void restored() {
    lostBecause = null;
    live = true;
  }
}
