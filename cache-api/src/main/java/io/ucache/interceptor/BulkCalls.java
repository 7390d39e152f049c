package io.ucache.interceptor;

import io.ucache.BulkLoader;
import io.ucache.CacheException;
import io.ucache.FailMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Calls of bulk methods ({@code @UCache(bulk = true)}), cached entry by entry: one
 * {@code getAll} with a bulk loader finds the ids' entries, the method runs once with the ids that
 * missed (the template loads each id once at a time across callers, refreshes and serves stale
 * entries per entry), and what it returns is stored per id, under the key a method of the same
 * cache taking that id alone uses. An id the method leaves out is cached as null when the cache
 * holds nulls, else not at all. Engine failures make the method run uncached (fail-mode open).
 * Thread-safe.
 */
final class BulkCalls {

  private final FailureLog log;

  BulkCalls(FailureLog log) {
    this.log = log;
  }

  @Nullable Object call(Operation operation, CacheSpec spec, Binding binding,
      @Nullable Object @Nullable [] args, Proceed invocation) throws Throwable {
    Object[] callArgs = Objects.requireNonNull(args);
    Collection<?> ids = (Collection<?>) callArgs[operation.bulkParameter];
    if (ids == null) {
      return invocation.proceed(args);
    }
    // Each distinct id's key, and back: the method is called with ids, the cache with keys.
    Map<Object, @Nullable Object> idByKey = new LinkedHashMap<>();
    List<Object> keyOfEach = new ArrayList<>(ids.size());
    try {
      for (Object id : ids) {
        Object key = Binding.storable(binding.idKey(operation, id));
        idByKey.putIfAbsent(key, id);
        keyOfEach.add(key);
      }
    } catch (IllegalArgumentException e) {
      // An id without a canonical form, passed as an Object: the call goes around the cache.
      return degrade(operation, binding, e, args, invocation);
    }
    Loads loads = new Loads(operation, spec, binding, callArgs, invocation, idByKey);
    Map<Object, Object> found;
    try {
      found = binding.cache.getAll(idByKey.keySet(), loads);
    } catch (InvocationFailure failure) {
      throw failure.getCause();
    } catch (CacheException e) {
      if (loads.ran) {
        // The method ran, only the cache failed: never run it twice.
        log.failure(operation, e);
        found = loads.loaded;
      } else {
        return degrade(operation, binding, e, args, invocation);
      }
    }
    return result(spec, ids, keyOfEach, found, binding.nullValues);
  }

  private @Nullable Object degrade(Operation operation, Binding binding, RuntimeException failure,
      @Nullable Object[] args, Proceed invocation) throws Throwable {
    if (binding.failMode == FailMode.CLOSED) {
      throw failure;
    }
    log.failure(operation, failure);
    return invocation.proceed(args);
  }

  /** What the method returns: a Map by id of the ids with values, or a List in id order. */
  private static Object result(CacheSpec spec, Collection<?> ids, List<Object> keyOfEach,
      Map<Object, Object> found, boolean nullValues) {
    if (spec.result() == CacheSpec.Result.LIST) {
      List<@Nullable Object> values = new ArrayList<>(keyOfEach.size());
      for (Object key : keyOfEach) {
        values.add(found.get(key));
      }
      return values;
    }
    Map<@Nullable Object, @Nullable Object> byId = new LinkedHashMap<>();
    int i = 0;
    for (Object id : ids) {
      Object key = keyOfEach.get(i++);
      if (found.containsKey(key)) {
        Object value = found.get(key);
        if (value != null || nullValues) {
          byId.put(id, value);
        }
      }
    }
    return byId;
  }

  /** The bulk loader: the method, run with the ids of the keys that missed. */
  private static final class Loads implements BulkLoader<Object, Object> {
    private final Operation operation;
    private final CacheSpec spec;
    private final Binding binding;
    private final Object[] args;
    private final Proceed invocation;
    private final Map<Object, @Nullable Object> idByKey;
    boolean ran;
    /** What the method returned, by key, for a call whose store then failed. */
    final Map<Object, Object> loaded = new HashMap<>();

    Loads(Operation operation, CacheSpec spec, Binding binding, Object[] args,
        Proceed invocation, Map<Object, @Nullable Object> idByKey) {
      this.operation = operation;
      this.spec = spec;
      this.binding = binding;
      this.args = args;
      this.invocation = invocation;
      this.idByKey = idByKey;
    }

    @Override
    public Map<Object, Object> loadAll(Set<?> keys) {
      List<@Nullable Object> missed = new ArrayList<>(keys.size());
      for (Object key : keys) {
        missed.add(idByKey.get(key));
      }
      Object[] withMissed = args.clone();
      withMissed[operation.bulkParameter] = idsLike(missed);
      Object returned;
      try {
        returned = invocation.proceed(withMissed);
      } catch (Throwable t) {
        throw new InvocationFailure(t);
      }
      ran = true;
      Map<Object, Object> byKey = new HashMap<>();
      if (spec.result() == CacheSpec.Result.LIST) {
        List<?> values = returned == null ? List.of() : (List<?>) returned;
        if (values.size() != missed.size()) {
          throw new InvocationFailure(new IllegalStateException(operation + " returned "
              + values.size() + " values for " + missed.size() + " ids; a bulk method "
              + "returning a List gives one value per id, in their order (null for none)"));
        }
        int i = 0;
        for (Object key : keys) {
          Object value = values.get(i++);
          if (value != null || binding.nullValues) {
            byKey.put(key, value);
          }
        }
      } else if (returned != null) {
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) returned).entrySet()) {
          Object key = Binding.storable(binding.idKey(operation, entry.getKey()));
          if (keys.contains(key) && (entry.getValue() != null || binding.nullValues)) {
            byKey.put(key, entry.getValue());
          }
        }
      }
      if (binding.nullValues) {
        // An id the method left out has no value: with null values on, that is cached too.
        keys.forEach(key -> byKey.putIfAbsent(key, null));
      }
      loaded.putAll(byKey);
      return byKey;
    }

    /** The missed ids in a collection of the kind the method declares. */
    private Collection<@Nullable Object> idsLike(List<@Nullable Object> missed) {
      Class<?> declared = operation.method.getParameterTypes()[operation.bulkParameter];
      return declared == Set.class ? Collections.unmodifiableSet(new LinkedHashSet<>(missed))
          : Collections.unmodifiableList(missed);
    }
  }
}
