package io.ucache.interceptor;

import org.jspecify.annotations.Nullable;

/**
 * Runs the intercepted method with the call's arguments: a proxy's {@link ProxyDispatch}, made
 * once per method, or an advisor's {@link Invocation}.
 */
@FunctionalInterface
interface Proceed {
  @Nullable Object proceed(@Nullable Object @Nullable [] args) throws Throwable;
}
