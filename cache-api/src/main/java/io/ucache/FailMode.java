package io.ucache;

/**
 * What a cache does when its engine fails (a server is down or too slow).
 */
public enum FailMode {
  /**
   * Report the failure: operations throw {@link EngineUnavailableException}, also counted in
   * {@link CacheStats#errorCount()}.
   */
  CLOSED,
  /**
   * Degrade: a read becomes a miss and a write is dropped, each counted in
   * {@link CacheStats#errorCount()}; the caller's own work goes on.
   */
  OPEN
}
