package io.ucache.interceptor;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheException;
import io.ucache.FailMode;
import io.ucache.context.EngineContext;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Finds the engine and cache of a call: the current {@link EngineContext}'s engine unless the
 * annotation names another, else the interceptor's (the one it was given, or one it starts on
 * first use), and keeps each operation's last {@link Binding} while calls go to the same engine.
 * Thread-safe.
 */
final class Bindings {

  private final @Nullable CacheEngine givenEngine;
  private final @Nullable OwnEngines ownEngines;
  private final CacheConfig defaults;
  private final OpenedCaches opened = new OpenedCaches();

  Bindings(@Nullable CacheEngine givenEngine, @Nullable OwnEngines ownEngines,
      CacheConfig defaults) {
    this.givenEngine = givenEngine;
    this.ownEngines = ownEngines;
    this.defaults = defaults;
  }

  OpenedCaches opened() {
    return opened;
  }

  /**
   * The binding of a call of {@code operation}'s cache on the engine called {@code engineName}
   * ("" for the current or default one), reusing the last one when it fits.
   *
   * @throws BindingFailure carrying the engine's failure and the fail mode that applies to it
   */
  Binding bind(Operation operation, String engineName) throws BindingFailure {
    EngineContext context = EngineContext.current().orElse(null);
    CacheEngine engine = engine(engineName, context);
    // (IllegalStateException from a closed interceptor or context is misuse and propagates.)
    Binding binding = operation.binding;
    if (binding == null || binding.engine != engine) {
      try {
        binding = new Binding(engine, engineName, context != null && engine == context.engine(),
            operation);
      } catch (CacheException | IllegalArgumentException | UnsupportedOperationException e) {
        // The engine cannot open this cache as the method needs it (types, codec, settings).
        throw new BindingFailure(e, failMode(engine.config()));
      }
      operation.binding = binding;
      if (!binding.fromContext) {
        opened.opened(binding.cache);
      }
    }
    operation.hitPath = binding.servesHitPath(operation) ? binding : null;
    return binding;
  }

  /**
   * The engine called {@code name} ("" for the current or default one) for a call now.
   *
   * @throws BindingFailure if it cannot be started
   */
  CacheEngine engine(String name, @Nullable EngineContext context) throws BindingFailure {
    if (context != null && (name.isEmpty() || name.equals(context.engine().name()))) {
      return context.engine();
    }
    if (givenEngine != null) {
      return givenEngine;
    }
    // An annotation naming the default engine gets the default engine, not a second one.
    String own = name.equals(defaults.engine().orElse("")) ? "" : name;
    try {
      // Started outside every lock, one attempt at a time, behind a circuit breaker.
      return Objects.requireNonNull(ownEngines).get(own);
    } catch (CacheException e) {
      throw new BindingFailure(e, failMode(defaults));
    }
  }

  /** Annotated methods fail open unless the configuration says otherwise (DESIGN.md). */
  static FailMode failMode(CacheConfig config) {
    return config.isSet("fail-mode") ? config.failMode() : FailMode.OPEN;
  }

  /** The engine or its cache could not be reached; carries the fail mode that applies. */
  static final class BindingFailure extends Exception {
    private static final long serialVersionUID = 1L;
    final FailMode failMode;

    BindingFailure(RuntimeException cause, FailMode failMode) {
      super(null, cause, false, false);
      this.failMode = failMode;
    }

    @Override
    public synchronized RuntimeException getCause() {
      return (RuntimeException) Objects.requireNonNull(super.getCause());
    }
  }
}
