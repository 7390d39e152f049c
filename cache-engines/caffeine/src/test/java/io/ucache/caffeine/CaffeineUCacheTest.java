package io.ucache.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfig;
import io.ucache.annotation.UCache;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.testkit.UCacheContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The @UCache contract suite, run on the caffeine engine with a fake ticker. */
class CaffeineUCacheTest extends UCacheContract {

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder().engine("caffeine");
  }

  /** Used through {@link UCacheInterceptor#create()}. */
  public interface Squares {
    @UCache
    long square(int n);
  }

  /**
   * {@code create()} starts the default engine of the environment, which is caffeine only here,
   * where it is the sole engine installed: so this test lives with the caffeine engine.
   */
  @Test
  void create_defaultEngine_cachesAndRefusesCallsOnceClosed() {
    AtomicInteger calls = new AtomicInteger();
    Squares squares;
    try (UCacheInterceptor ucache = UCacheInterceptor.create()) {
      squares = ucache.proxy(Squares.class, n -> {
        calls.incrementAndGet();
        return (long) n * n;
      });

      assertThat(squares.square(12)).isEqualTo(144);
      assertThat(squares.square(12)).isEqualTo(144);
      assertThat(calls).hasValue(1);
    }

    assertThatThrownBy(() -> squares.square(12)).isInstanceOf(IllegalStateException.class);
  }

  /** A memoized recursive method: each level runs inside the load of the level above. */
  public interface Fibonacci {
    @UCache
    long fib(int n);
  }

  @Test
  void call_recursiveMethodThroughItsProxy_eachArgumentComputedOnce() {
    AtomicInteger calls = new AtomicInteger();
    try (UCacheInterceptor ucache = UCacheInterceptor.create()) {
      Fibonacci[] self = new Fibonacci[1];
      self[0] = ucache.proxy(Fibonacci.class, n -> {
        calls.incrementAndGet();
        return n < 2 ? n : self[0].fib(n - 1) + self[0].fib(n - 2);
      });

      assertThat(self[0].fib(90)).isEqualTo(2_880_067_194_370_816_120L);
      assertThat(calls).hasValue(91);
    }
  }
}
