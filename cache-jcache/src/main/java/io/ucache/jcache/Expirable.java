package io.ucache.jcache;

import java.io.Serializable;

/**
 * What a JCache cache stores for a key: the value (as stored: a copy when the cache stores by
 * value) and when it expires, in the cache's clock's milliseconds ({@link Long#MAX_VALUE}: never).
 * Immutable; an access or update that changes the expiry stores a new one.
 *
 * @param value the value, never null
 * @param expireAtMillis when the entry expires
 */
record Expirable(Object value, long expireAtMillis) implements Serializable {

  static final long NEVER = Long.MAX_VALUE;

  boolean isExpired(long nowMillis) {
    return expireAtMillis <= nowMillis;
  }

  Expirable withExpiry(long expireAtMillis) {
    return new Expirable(value, expireAtMillis);
  }
}
