package io.ucache.jcache;

import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.expiry.EternalExpiryPolicy;
import javax.cache.expiry.ExpiryPolicy;
import javax.cache.expiry.ModifiedExpiryPolicy;

/**
 * A cache's {@link ExpiryPolicy} turned into deadlines, as JSR-107 defines them: a creation
 * sets one (a zero duration: the entry is not stored), an update or an access sets a new one or,
 * when the policy returns {@code null}, keeps the current one (a zero duration: the entry
 * expires now). A policy that throws is logged and read as {@code null}: eternal for a creation,
 * unchanged otherwise. Thread-safe if the policy is.
 */
final class ExpiryRules {

  /** A deadline meaning "keep the entry's current one". */
  static final long UNCHANGED = -1;

  private static final Logger LOG = Logger.getLogger(ExpiryRules.class.getName());

  private final ExpiryPolicy policy;

  ExpiryRules(ExpiryPolicy policy) {
    this.policy = policy;
  }

  ExpiryPolicy policy() {
    return policy;
  }

  /**
   * Whether a read may change an entry's expiry: false only for the standard policies known to
   * keep it (created, modified, eternal), whose access rule is {@code null}.
   */
  boolean mayChangeOnAccess() {
    Class<?> type = policy.getClass();
    return type != CreatedExpiryPolicy.class && type != ModifiedExpiryPolicy.class
        && type != EternalExpiryPolicy.class;
  }

  /** The deadline of an entry created at {@code now}: {@code now} itself means not stored. */
  long onCreation(long now) {
    long deadline = deadline(policy::getExpiryForCreation, now);
    return deadline == UNCHANGED ? Expirable.NEVER : deadline;
  }

  /** The deadline of an entry updated at {@code now}, or {@link #UNCHANGED}. */
  long onUpdate(long now) {
    return deadline(policy::getExpiryForUpdate, now);
  }

  /** The deadline of an entry read at {@code now}, or {@link #UNCHANGED}. */
  long onAccess(long now) {
    return deadline(policy::getExpiryForAccess, now);
  }

  private static long deadline(Supplier<Duration> rule, long now) {
    Duration duration;
    try {
      duration = rule.get();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The cache's expiry policy failed; the entry's expiry is left as"
          + " it was (eternal for a new entry)", e);
      return UNCHANGED;
    }
    if (duration == null) {
      return UNCHANGED;
    }
    if (duration.isEternal()) {
      return Expirable.NEVER;
    }
    if (duration.isZero()) {
      return now;
    }
    long millis = duration.getTimeUnit().toMillis(duration.getDurationAmount());
    return millis >= Expirable.NEVER - now ? Expirable.NEVER : now + Math.max(1, millis);
  }
}
