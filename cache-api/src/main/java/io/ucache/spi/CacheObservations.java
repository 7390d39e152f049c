package io.ucache.spi;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.ObservationView;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The observations of one cache, through Micrometer's Observation API (an OpenTelemetry or Brave
 * bridge makes spans of them), made only when the application gives an
 * {@code ObservationRegistry}: this class is loaded only then, so Micrometer stays optional.
 *
 * <p>{@value #OPERATION}: a call of the cache that reaches a remote or disk engine (not an
 * in-process engine's, not one a near copy answers), one per call however many round trips it
 * takes; a call made inside another of the same cache (the store after a load) is part of it.
 * {@value #LOAD}: a loader's or an annotated method's run after a miss, on every engine, a child
 * of the operation it runs in. Low-cardinality key values {@code ucache.cache},
 * {@code ucache.engine}, {@code ucache.operation} and {@code ucache.result}; the key's canonical
 * text as the high-cardinality {@code ucache.key} only with {@code tracing.keys=true}.
 * Thread-safe.
 */
final class CacheObservations {

  static final String OPERATION = "ucache.cache.operation";
  static final String LOAD = "ucache.cache.load";

  static final String HIT = "hit";
  static final String MISS = "miss";
  static final String STALE = "stale";
  static final String ERROR = "error";
  static final String REJECTED = "rejected";
  static final String SUCCESS = "success";
  static final String FAILURE = "failure";

  private final ObservationRegistry registry;
  private final String engine;
  private final String cache;
  /** Whether calls are observed, not just loads: the engine is not in-process. */
  private final boolean operations;
  /** Whether observations carry the key's canonical text ({@code tracing.keys}). */
  private final boolean keys;

  CacheObservations(ObservationRegistry registry, String engine, String cache,
      boolean operations, boolean keys) {
    this.registry = registry;
    this.engine = engine;
    this.cache = cache;
    this.operations = operations;
    this.keys = keys;
  }

  /**
   * The observations of {@code cache} in {@code registry}.
   *
   * @param inProcess whether the engine keeps entries in this JVM: then only loads are observed
   * @param withKeys whether observations carry the key's canonical text
   */
  static CacheObservations of(ObservationRegistry registry, String engine, String cache,
      boolean inProcess, boolean withKeys) {
    return new CacheObservations(registry, engine, cache, !inProcess, withKeys);
  }

  /**
   * Whether a call of this cache starts an observation now: its engine is remote or on disk, a
   * handler listens, and no call of this cache is observed on this thread already.
   */
  boolean observesCall() {
    return operations && !registry.isNoop() && own(registry.getCurrentObservation()) == null;
  }

  /**
   * Runs {@code call}, the operation {@code name} of this cache on {@code key} (null for a call of
   * several keys or none), as one observation; its result is what was marked during the call
   * ({@link #mark}), else {@code outcome} of what it returned.
   */
  <T> T observe(String name, @Nullable Object key, Supplier<T> call,
      Function<@Nullable T, String> outcome) {
    Started started = start(OPERATION, name, key);
    try {
      T result = call.get();
      started.context.markIfUnset(outcome.apply(result));
      return result;
    } catch (RuntimeException | Error e) {
      started.failed(e, ERROR);
      throw e;
    } finally {
      started.stop();
    }
  }

  /** Runs {@code call}, a write, as {@link #observe} does; its result {@code success}. */
  void observeWrite(String name, @Nullable Object key, Runnable call) {
    observe(name, key, () -> {
      call.run();
      return null;
    }, ignored -> SUCCESS);
  }

  /**
   * Starts the observation of a call of this cache that the caller runs itself (an annotated
   * method's cached call), or returns null if the call is not observed ({@link #observesCall}).
   */
  @Nullable Started startCall(String name, @Nullable Object key) {
    return observesCall() ? start(OPERATION, name, key) : null;
  }

  /**
   * Starts the observation of a load of {@code key} (null for a bulk load), a child of the call
   * observed on this thread, which it marks a miss; or null when no handler listens.
   */
  @Nullable Started startLoad(@Nullable Object key) {
    if (registry.isNoop()) {
      return null;
    }
    mark(MISS);
    return start(LOAD, "load", key);
  }

  /**
   * Marks the call of this cache observed on this thread, if any, with {@code result}: an engine
   * failure or a rejection wins over what the call returns.
   */
  void mark(String result) {
    Context context = own(registry.getCurrentObservation());
    if (context != null) {
      context.mark(result);
    }
  }

  private Started start(String observation, String operation, @Nullable Object key) {
    Context context = new Context(this);
    Observation started = Observation.createNotStarted(observation, () -> context, registry)
        .contextualName(operation + " " + cache)
        .lowCardinalityKeyValue("ucache.cache", cache)
        .lowCardinalityKeyValue("ucache.engine", engine)
        .lowCardinalityKeyValue("ucache.operation", operation);
    String text = keys && key != null ? AbstractCache.canonicalText(key) : null;
    if (text != null) {
      started.highCardinalityKeyValue("ucache.key", text);
    }
    started.start();
    return new Started(started, context, started.openScope());
  }

  /** The context of the innermost observation of this cache's on this thread's stack, or null. */
  private @Nullable Context own(@Nullable ObservationView current) {
    for (ObservationView view = current; view != null;
        view = view.getContextView().getParentObservation()) {
      if (view.getContextView() instanceof Context context && context.owner == this) {
        return context;
      }
    }
    return null;
  }

  /** The context of an observation of this cache: who made it, and the result marked so far. */
  static final class Context extends Observation.Context {
    final CacheObservations owner;
    private volatile @Nullable String result;

    Context(CacheObservations owner) {
      this.owner = owner;
    }

    void mark(String marked) {
      String now = result;
      if (!ERROR.equals(now) && !REJECTED.equals(now)) {
        result = marked;
      }
    }

    void markIfUnset(String marked) {
      if (result == null) {
        result = marked;
      }
    }
  }

  /** A started observation, its scope open on this thread. */
  static final class Started {
    private final Observation observation;
    final Context context;
    private final Observation.Scope scope;

    Started(Observation observation, Context context, Observation.Scope scope) {
      this.observation = observation;
      this.context = context;
      this.scope = scope;
    }

    /** Marks this observation's result ({@code miss}, {@code hit}...) unless already marked. */
    void result(String result) {
      context.markIfUnset(result);
    }

    /**
     * {@code thrown} ended the observed work (what a loader's own code threw, not the wrapper
     * that carries it); the result is {@code result} unless already marked.
     */
    void failed(Throwable thrown, String result) {
      observation.error(thrown instanceof CarriedFailure carried ? carried.getCause() : thrown);
      context.markIfUnset(result);
    }

    /** Closes the scope and stops the observation, with its result; on the thread it began. */
    void stop() {
      String result = context.result;
      observation.lowCardinalityKeyValue("ucache.result", result == null ? SUCCESS : result);
      scope.close();
      observation.stop();
    }
  }
}
