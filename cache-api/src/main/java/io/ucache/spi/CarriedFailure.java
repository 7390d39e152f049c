package io.ucache.spi;

/**
 * Carries what a loader's own code threw (an intercepted method's exception, checked or not)
 * through the template to its caller, to be rethrown there as it was: the template reports the
 * {@linkplain #getCause() cause}, not this wrapper, as the load's failure. Records no stack
 * trace of its own.
 */
public abstract class CarriedFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected CarriedFailure(Throwable cause) {
    super(null, java.util.Objects.requireNonNull(cause, "cause"), false, false);
  }
}
