package io.ucache.interceptor;

import org.jspecify.annotations.Nullable;

/**
 * Runs the intercepted method itself: the rest of a proxy's or an AOP chain's work. Called at most
 * once per {@link UCacheInterceptor#invoke}.
 */
@FunctionalInterface
public interface Invocation {
  @Nullable Object proceed() throws Throwable;

  /**
   * An invocation of the same method with the same arguments that can run once later, on
   * another thread, after this call returned: what a background refresh runs. Asked for while
   * the call runs, before {@link #proceed()}. The default is this invocation itself, which suits
   * one that can run again (a direct call of the target); an AOP chain returns a copy of itself
   * (Spring's {@code ProxyMethodInvocation.invocableClone()}).
   */
  default Invocation detach() {
    return this;
  }

  /**
   * Runs the intercepted method with other arguments than the call's (of the same types): what
   * a bulk method's call runs with only the ids that missed. The default refuses; an AOP chain
   * sets the arguments and proceeds (Spring's {@code ProxyMethodInvocation.setArguments}).
   *
   * @throws UnsupportedOperationException if this invocation cannot change its arguments
   */
  default @Nullable Object proceedWith(@Nullable Object[] args) throws Throwable {
    throw new UnsupportedOperationException("this invocation cannot run with other arguments, "
        + "which a bulk method (@UCache(bulk = true)) needs");
  }
}
