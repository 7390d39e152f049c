package io.ucache.interceptor;

import org.jspecify.annotations.Nullable;

/**
 * Runs the intercepted method itself: the rest of a proxy's or an AOP chain's work. Called at most
 * once per {@link UCacheInterceptor#invoke}.
 */
@FunctionalInterface
public interface Invocation {
  @Nullable Object proceed() throws Throwable;
}
