package io.ucache.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class NearClockTest {

  private static final Duration AWAIT = Duration.ofSeconds(30);

  private static boolean clockThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("ucache-near-clock") && t.isAlive());
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void lease_clockMovesWithNanoTime_andStopsAfterTheLastRelease() {
    Object first = new Object();
    Object second = new Object();
    Cleaner.Cleanable one = NearClock.lease(first);
    Cleaner.Cleanable two = NearClock.lease(second);
    long start = NearClock.now();
    assertThat(Math.abs(System.nanoTime() - start)).isLessThan(AWAIT.toNanos());

    await("the clock to move", () -> NearClock.now() != start);
    long before = System.nanoTime();
    long read = NearClock.now();
    assertThat(before - read).as("behind nanoTime by at most a tick (and scheduling)")
        .isLessThan(Duration.ofSeconds(1).toNanos());

    one.clean();
    assertThat(clockThreadAlive()).as("another lease holds it").isTrue();
    two.clean();
    await("the clock thread to end", () -> !clockThreadAlive());
    one.clean(); // a second clean does nothing
    assertThat(clockThreadAlive()).isFalse();
  }

  @Test
  void lease_ownerCollectedWithoutRelease_clockStops() {
    leaseAndDrop();
    await("the clock thread to end after its owner was collected", () -> {
      System.gc();
      return !clockThreadAlive();
    });
  }

  private static void leaseAndDrop() {
    NearClock.lease(new Object());
    assertThat(clockThreadAlive()).isTrue();
  }
}
