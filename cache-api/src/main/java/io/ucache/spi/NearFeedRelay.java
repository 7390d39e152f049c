package io.ucache.spi;

import java.lang.ref.WeakReference;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * What an engine's invalidation feed reports, passed on to the engine on the feed's thread while
 * holding it weakly: the feed's thread must not keep an engine that was dropped without being
 * closed from its leak guard (once the engine is gone, the relay does nothing). A change is
 * whatever the feed reads ({@code C}: a Redis key, a row of a change log); the engine turns it
 * into {@link AbstractEngine#nearChanged} calls.
 *
 * <p><b>Thread-safety:</b> thread-safe. <b>Nulls:</b> none accepted.
 *
 * @param <E> the engine
 * @param <C> what the feed reports for one change
 */
public final class NearFeedRelay<E extends AbstractEngine, C> {

  private final WeakReference<E> engine;
  private final BiConsumer<? super E, ? super C> onChange;

  /** A relay to {@code engine}, which handles each change with {@code onChange}. */
  public NearFeedRelay(E engine, BiConsumer<? super E, ? super C> onChange) {
    this.engine = new WeakReference<>(Objects.requireNonNull(engine, "engine"));
    this.onChange = Objects.requireNonNull(onChange, "onChange");
  }

  /** One key changed. */
  public void changed(C change) {
    E e = engine.get();
    if (e != null) {
      onChange.accept(e, change);
    }
  }

  /** Changes were missed, or every key may have changed: every near copy goes. */
  public void changedAll() {
    E e = engine.get();
    if (e != null) {
      e.nearChangedAll(null);
    }
  }

  /** The feed may miss changes from now on: {@link AbstractEngine#nearFeedLost}. */
  public void lost(String cause) {
    E e = engine.get();
    if (e != null) {
      e.nearFeedLost(cause);
    }
  }

  /** The feed delivers every change again: {@link AbstractEngine#nearFeedRestored}. */
  public void restored() {
    E e = engine.get();
    if (e != null) {
      e.nearFeedRestored();
    }
  }
}
