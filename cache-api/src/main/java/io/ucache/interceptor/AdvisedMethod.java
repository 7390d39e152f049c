package io.ucache.interceptor;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One annotated method of one target class, as an AOP integration keeps it
 * ({@link UCacheInterceptor#advised}): found once, it runs each call without looking the method up
 * again, and a hit allocates nothing of UCache's: the {@link Invocation} is made of the
 * integration's own call object {@code C} only when the method runs or may run. Thread-safe.
 *
 * @param <C> what the integration has of a call (Spring's {@code MethodInvocation})
 */
public final class AdvisedMethod<C> {

  private final CachedCalls calls;
  private final Operation operation;
  private final CachedCalls.ProceedFactory<C> proceedOf;

  AdvisedMethod(CachedCalls calls, Operation operation,
      Function<? super C, ? extends Invocation> invocationOf) {
    this.calls = calls;
    this.operation = operation;
    this.proceedOf = (call, args) -> proceed(invocationOf.apply(call), args);
  }

  /**
   * Runs one call with {@code args}: from the cache, or through the invocation made of
   * {@code call}.
   *
   * @throws Throwable what the method throws, unchanged
   */
  public @Nullable Object invoke(@Nullable Object @Nullable [] args, C call) throws Throwable {
    return calls.call(operation, args, call, proceedOf);
  }

  /** The way on to the method: with the call's own arguments, or others of a bulk call. */
  static Proceed proceed(Invocation invocation, @Nullable Object @Nullable [] args) {
    return new Proceed() {
      @Override
      public @Nullable Object proceed(@Nullable Object @Nullable [] a) throws Throwable {
        return a == args || a == null ? invocation.proceed() : invocation.proceedWith(a);
      }

      @Override
      public Proceed detach() {
        Invocation later = invocation.detach();
        return a -> later.proceed();
      }
    };
  }

  @Override
  public String toString() {
    return "AdvisedMethod{" + operation.method + "}";
  }
}
