package io.ucache.examples;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.context.EngineContext;
import java.io.PrintStream;
import java.time.Duration;

/** An entry with a time to live: present, then gone once the TTL has passed. */
public final class TtlExample {
  private TtlExample() {}

  /** Whether the entry was there at first, and how long it took to disappear (null if it never did). */
  public record Result(boolean presentAtFirst, Duration goneAfter) {}

  public static void main(String[] args) {
    run(System.out, Duration.ofMillis(300));
  }

  public static Result run(PrintStream out, Duration ttl) {
    // [ttl]
    try (EngineContext ctx = EngineContext.open(CacheConfig.builder().ttl(ttl).build())) {
      Cache<String, String> sessions = ctx.cache("sessions", String.class, String.class);
      long written = System.nanoTime();
      sessions.put("alice", "token-1");
      boolean present = sessions.get("alice") != null;

      // Poll until the entry expires (tests inject a fake Ticker instead of waiting).
      long deadline = written + ttl.multipliedBy(20).toNanos();
      while (sessions.get("alice") != null && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      Duration goneAfter = Duration.ofNanos(System.nanoTime() - written);
      // [ttl]
      boolean gone = sessions.get("alice") == null;
      out.printf("  put with ttl %d ms: present=%s, gone after %d ms%n", ttl.toMillis(), present,
          gone ? goneAfter.toMillis() : -1);
      if (!gone) {
        throw new AssertionError("the entry outlived its ttl of " + ttl);
      }
      return new Result(present, goneAfter);
    }
  }
}
