package io.ucache.interceptor;

import io.ucache.Cache;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The caches an interceptor opened for annotated methods on engines that outlive a call, by
 * identity, and the listeners told of each ({@link UCacheInterceptor#onCacheOpened}).
 * Thread-safe; listeners run outside the lock.
 */
final class OpenedCaches {

  private final Map<Cache<?, ?>, Boolean> opened = new IdentityHashMap<>();
  private final List<Consumer<? super Cache<?, ?>>> listeners = new ArrayList<>();

  void listen(Consumer<? super Cache<?, ?>> listener) {
    List<Cache<?, ?>> known;
    synchronized (opened) {
      listeners.add(listener);
      known = List.copyOf(opened.keySet());
    }
    known.forEach(listener);
  }

  void opened(Cache<?, ?> cache) {
    List<Consumer<? super Cache<?, ?>>> told;
    synchronized (opened) {
      if (opened.put(cache, Boolean.TRUE) != null || listeners.isEmpty()) {
        return;
      }
      told = List.copyOf(listeners);
    }
    told.forEach(listener -> listener.accept(cache));
  }
}
