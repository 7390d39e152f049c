package io.ucache;

/**
 * How far a cache's single-flight loads reach ({@code single-flight.scope}): concurrent misses of
 * one key run the loader once per process, or once across every process sharing the engine.
 */
public enum SingleFlightScope {
  /** Once per key at a time in this JVM (the default). */
  PROCESS,
  /**
   * Once per key at a time across every process sharing the engine: the first caller takes a
   * lease on the key in the engine, the others wait for its value. Only engines shared between
   * processes offer it ({@code redis}).
   */
  CLUSTER
}
