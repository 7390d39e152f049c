package io.ucache.interceptor;

import io.ucache.spi.RateLimitedLog;

/**
 * The interceptor's WARN lines: engine failures it absorbed (fail-mode open) and evictions that
 * found nothing to evict, at most one a minute per interceptor, the rest at DEBUG.
 * Thread-safe.
 */
final class FailureLog {

  private final RateLimitedLog log =
      new RateLimitedLog(System.getLogger(UCacheInterceptor.class.getName()));

  /** An engine failure a call of {@code operation} absorbed: the method ran uncached. */
  void failure(Operation operation, Throwable failure) {
    log.warn("@UCache", "Cache failure in " + operation + "; the method ran uncached "
        + "(fail-mode=open): " + failure);
  }

  /**
   * An engine or cache that could not be reached for a call of {@code operation}: rethrown with
   * fail-mode closed, else logged (the method runs uncached, or its eviction is skipped).
   */
  void absorb(Operation operation, Bindings.BindingFailure failure) {
    if (failure.failMode == io.ucache.FailMode.CLOSED) {
      throw failure.getCause();
    }
    failure(operation, failure.getCause());
  }

  void warn(String message) {
    log.warn("@UCache", message);
  }
}
