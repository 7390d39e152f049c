package io.ucache.interceptor;

import io.ucache.spi.CarriedFailure;
import java.util.Objects;

/**
 * Carries what an intercepted method threw through the cache (out of a loader), to be rethrown
 * as it was. Records no stack trace of its own.
 */
final class InvocationFailure extends CarriedFailure {
  private static final long serialVersionUID = 1L;

  InvocationFailure(Throwable cause) {
    super(cause);
  }

  @Override
  public synchronized Throwable getCause() {
    return Objects.requireNonNull(super.getCause());
  }

  /** What the method threw, for a log line that shows this wrapper. */
  @Override
  public String toString() {
    return getCause().toString();
  }
}
