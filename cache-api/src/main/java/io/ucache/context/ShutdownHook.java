package io.ucache.context;

import io.ucache.CacheEngine;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes the engines still open when the JVM shuts down normally (SIGTERM, Ctrl-C,
 * {@code System.exit}, the last non-daemon thread ending), so that a plain Java program stopped
 * by {@code docker stop} or {@code systemctl stop} flushes its disk engine's entries instead of
 * leaving a folder that the next open must discard. {@link EngineManager#create} registers every
 * engine it starts (and so every {@link EngineContext} and {@link CacheContext} engine); the JVM
 * hook is added once, with the first engine.
 *
 * <p>Engines are held weakly: the hook keeps no engine reachable, so an engine its owner drops
 * without closing is still found by {@link io.ucache.spi.LeakGuard}, and a closed engine is
 * forgotten (at the latest when the next engine is registered). Nothing here ever keeps memory
 * of engines that are gone.
 *
 * <p>Opt-out: the system property {@value #PROPERTY}{@code =false} (read at each registration),
 * for applications that close their engines in a hook of their own, in their own order.
 *
 * <p><b>Thread-safety:</b> thread-safe. <b>Nulls:</b> none accepted or returned.
 */
final class ShutdownHook {

  /** Set to {@code false} to leave open engines as they are when the JVM exits. */
  static final String PROPERTY = "io.ucache.shutdownHook";
  static final String THREAD_NAME = "ucache-shutdown";

  private static final System.Logger LOG = System.getLogger(ShutdownHook.class.getName());
  private static final ReferenceQueue<CacheEngine> GONE = new ReferenceQueue<>();
  private static final Set<EngineReference> OPEN = ConcurrentHashMap.newKeySet();
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private ShutdownHook() {}

  /** Whether the hook is wanted: {@value #PROPERTY} is not {@code false}. */
  static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true").strip());
  }

  /** Closes {@code engine} at shutdown unless it is closed or gone by then. */
  static void register(CacheEngine engine) {
    if (!enabled()) {
      return;
    }
    forgetClosed();
    OPEN.add(new EngineReference(engine));
    if (INSTALLED.compareAndSet(false, true)) {
      try {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownHook::closeAll, THREAD_NAME));
      } catch (IllegalStateException e) {
        // The JVM is shutting down already: the engine's owner closes it, or nobody can.
        LOG.log(System.Logger.Level.DEBUG, "No shutdown hook: the JVM is shutting down", e);
      }
    }
  }

  /** How many engines are registered now: for tests of what is forgotten. */
  static int registered() {
    forgetClosed();
    return OPEN.size();
  }

  /** Closes every registered engine still open, each even if another fails. */
  static void closeAll() {
    List<EngineReference> engines = new ArrayList<>(OPEN);
    OPEN.clear();
    for (EngineReference reference : engines) {
      CacheEngine engine = reference.get();
      if (engine == null) {
        continue;
      }
      try {
        // Even if closed already: a close running on another thread (the main thread leaving a
        // try-with-resources as the signal came) must finish before the JVM halts,  and the disk
        // engine's close() returns only once a close running elsewhere has ended.
        engine.close();
      } catch (RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "Closing the " + engine.name() + " engine at JVM "
            + "shutdown failed: " + e, e);
      }
    }
  }

  /** Drops the references of engines collected or closed since. */
  private static void forgetClosed() {
    for (Object gone = GONE.poll(); gone != null; gone = GONE.poll()) {
      OPEN.remove(gone);
    }
    OPEN.removeIf(reference -> {
      CacheEngine engine = reference.get();
      return engine == null || engine.isClosed();
    });
  }

  /** A weak reference, equal only to itself, as set elements must be while the referent goes. */
  private static final class EngineReference extends WeakReference<CacheEngine> {
    EngineReference(CacheEngine engine) {
      super(engine, GONE);
    }
  }
}
