package io.ucache.testkit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a contract test opened (engines, interceptors), closed after it in reverse order; the
 * first failure to close is thrown, the others suppressed in it. Thread-safe.
 */
final class TestResources {

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

  <T extends AutoCloseable> T add(T resource) {
    resources.add(resource);
    return resource;
  }

  void closeAll() throws Exception {
    Exception failure = null;
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    resources.clear();
    for (AutoCloseable resource : reversed) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
