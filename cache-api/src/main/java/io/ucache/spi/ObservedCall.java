package io.ucache.spi;

/**
 * The observation of one call of a cache that its caller runs itself, such as an annotated
 * method's lookup and, after a miss, its run and store: the cache's own calls and the load made
 * inside it are part of it (the load as a child). Started by
 * {@link AbstractCache#startObservedCall}; stopped once, on the thread that started it. Not
 * thread-safe.
 */
public final class ObservedCall {

  private final CacheObservations.Started started;

  ObservedCall(CacheObservations.Started started) {
    this.started = started;
  }

  /** {@code thrown} ended the call (the method's own exception, an engine failure). */
  public void failed(Throwable thrown) {
    started.failed(thrown, CacheObservations.ERROR);
  }

  /**
   * Ends the observation: a {@code hit} unless a load made it a {@code miss} (or a stale entry
   * was served, or the engine failed).
   */
  public void stop() {
    started.result(CacheObservations.HIT);
    started.stop();
  }
}
