package io.ucache;

import org.jspecify.annotations.Nullable;

/**
 * An engine cannot serve: it is not installed, its driver is missing, its server is down or it
 * did not answer within the timeout. The message names the engine and the reason. Retrying later,
 * or choosing another engine, may help.
 */
public class EngineUnavailableException extends CacheException {
  private static final long serialVersionUID = 1L;

  private final String engine;

  public EngineUnavailableException(String engine, String message) {
    this(engine, message, null);
  }

  public EngineUnavailableException(String engine, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.engine = java.util.Objects.requireNonNull(engine, "engine");
  }

  /** The name of the engine that could not serve. */
  public String engine() {
    return engine;
  }
}
