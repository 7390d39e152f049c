package io.ucache.spi;

import io.ucache.CacheEngine;
import java.lang.ref.Cleaner;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Notices an object that holds resources (an engine, an {@code EngineContext}) becoming
 * unreachable without being closed: it then releases what the object held and logs one WARN
 * naming where it was created. Engines call {@link #watch} when they are created and
 * {@link Registration#close()} when they are closed.
 *
 * <pre>{@code
 * final class MyEngine implements CacheEngine {
 *   private final MyConnection connection;            // what must be released
 *   private final LeakGuard.Registration leakGuard;
 *
 *   MyEngine(MyConnection connection) {
 *     this.connection = connection;
 *     this.leakGuard = LeakGuard.watch(this, "my-engine engine", connection::close);
 *   }
 *
 *   public void close() {
 *     leakGuard.close();                              // closed on purpose: no warning
 *     connection.close();
 *   }
 * }
 * }</pre>
 *
 * <p>The release action must not refer to the watched object, directly or through a lambda
 * capturing {@code this}: it is held until the object becomes unreachable, so it would keep the
 * object reachable for ever. It refers to the resources alone (a connection, a file lock).
 *
 * <p>The creation site is the first caller outside UCache's own lifecycle classes (the engine,
 * its provider, {@code EngineManager}, {@code EngineContext}, {@code CacheContext}): the
 * user's method that opened the engine. With the system property
 * {@value #TRACES_PROPERTY}{@code =true}, the whole stack trace of the creation is kept and
 * logged, at the cost of a {@link Throwable} per watched object.
 *
 * <p>Warnings are logged through {@link System.Logger} {@code io.ucache.spi.LeakGuard}; the
 * release runs on one daemon thread shared by the JVM ({@code ucache-leak-guard}).
 *
 * <p><b>Thread-safety:</b> thread-safe. <b>Nulls:</b> no method accepts or returns {@code null}.
 */
public final class LeakGuard {

  /** The system property that keeps the whole stack trace of every creation. */
  public static final String TRACES_PROPERTY = "io.ucache.leakTraces";

  private static final System.Logger LOG = System.getLogger(LeakGuard.class.getName());
  private static final Cleaner CLEANER = Cleaner.create(runnable -> {
    Thread thread = new Thread(runnable, "ucache-leak-guard");
    thread.setDaemon(true);
    return thread;
  });
  /** Named, not imported: {@code io.ucache.context} depends on this package, not the reverse. */
  private static final Set<String> CREATORS = Set.of("io.ucache.context.EngineManager",
      "io.ucache.context.EngineContext", "io.ucache.context.CacheContext");
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  private LeakGuard() {}

  /**
   * Watches {@code owner}: if it becomes unreachable before the returned registration is closed,
   * one WARN names {@code what} and where {@code owner} was created, and {@code release} runs.
   *
   * @param owner the object whose reachability is watched
   * @param what what it is, for the warning, such as {@code "redis engine"}; never a secret
   * @param release frees what {@code owner} held; must not refer to {@code owner}
   */
  public static Registration watch(Object owner, String what, Runnable release) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(release, "release");
    Leak leak = new Leak(what, creationSite(),
        Boolean.getBoolean(TRACES_PROPERTY) ? new Throwable("created here") : null, release);
    return new Registration(leak, CLEANER.register(owner, leak));
  }

  /** The first frame outside the classes that create engines on a caller's behalf. */
  private static String creationSite() {
    Optional<StackWalker.StackFrame> frame = WALKER.walk(frames -> frames
        .filter(f -> !isLifecycleClass(f.getDeclaringClass()))
        .findFirst());
    return frame.map(f -> f.toStackTraceElement().toString()).orElse("an unknown place");
  }

  private static boolean isLifecycleClass(Class<?> type) {
    return type == LeakGuard.class
        || CREATORS.contains(type.getName())
        || CacheEngine.class.isAssignableFrom(type)
        || EngineProvider.class.isAssignableFrom(type);
  }

  /**
   * What a watched object's creator closes when it closes the object. Thread-safe.
   */
  public static final class Registration implements AutoCloseable {
    private final Leak leak;
    private final Cleaner.Cleanable cleanable;

    private Registration(Leak leak, Cleaner.Cleanable cleanable) {
      this.leak = leak;
      this.cleanable = cleanable;
    }

    /**
     * Marks the object closed on purpose: nothing is logged and the release action does not run.
     * Idempotent.
     */
    @Override
    public void close() {
      leak.closed = true;
      cleanable.clean();
    }

    @Override
    public String toString() {
      return "LeakGuard.Registration{" + leak.what + " created at " + leak.site
          + (leak.closed ? ", closed" : "") + "}";
    }
  }

  /** The action the cleaner runs; it holds nothing of the watched object. */
  private static final class Leak implements Runnable {
    private final String what;
    private final String site;
    private final @Nullable Throwable trace;
    private final Runnable release;
    private volatile boolean closed;

    Leak(String what, String site, @Nullable Throwable trace, Runnable release) {
      this.what = what;
      this.site = site;
      this.trace = trace;
      this.release = release;
    }

    @Override
    public void run() {
      if (closed) {
        return;
      }
      // Released first, then one warning with the outcome: whoever reads it may reuse the
      // resources (reopen the folder) at once.
      String outcome = "released what it held";
      try {
        release.run();
      } catch (RuntimeException | LinkageError e) {
        outcome = "releasing what it held failed: " + e;
      }
      String message = "A " + what + " created at " + site + " became unreachable without being "
          + "closed; " + outcome + ". Close it, with try-with-resources for example"
          + (trace == null ? " (set -D" + TRACES_PROPERTY + "=true for the whole stack trace "
              + "of its creation)" : "");
      if (trace == null) {
        LOG.log(System.Logger.Level.WARNING, message);
      } else {
        LOG.log(System.Logger.Level.WARNING, message, trace);
      }
    }
  }
}
