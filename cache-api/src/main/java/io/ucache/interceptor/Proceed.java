package io.ucache.interceptor;

import org.jspecify.annotations.Nullable;

/**
 * Runs the intercepted method with the call's arguments: a proxy's {@link ProxyDispatch}, made
 * once per method, or an advisor's {@link Invocation}.
 */
@FunctionalInterface
interface Proceed {
  @Nullable Object proceed(@Nullable Object @Nullable [] args) throws Throwable;

  /**
   * A {@code Proceed} that runs the method once more later, on another thread, after this call
   * returned (a background refresh); asked for while the call runs. A proxy's runs any number of
   * times: itself.
   */
  default Proceed detach() {
    return this;
  }
}
