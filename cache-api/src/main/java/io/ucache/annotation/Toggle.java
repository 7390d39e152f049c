package io.ucache.annotation;

/** A yes/no annotation attribute that may also be left to the configuration. */
public enum Toggle {
  /** Use the engine's configuration (the current {@code EngineContext}'s, else the global one). */
  INHERIT,
  ON,
  OFF
}
