package io.ucache.interceptor;

import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * The parsed cache annotations of the methods an interceptor has seen, once per method and target
 * class, and the {@code @UCache} methods of each cache name: methods that share a named cache
 * must agree on what it holds and how it is configured, which is checked here when the second one
 * is parsed, naming both.
 *
 * <p>Thread-safe: lookups are lock-free; parsing and registration take one lock.
 */
final class OperationRegistry {

  /** Marks methods without cache annotations (a concurrent map holds no null). */
  private static final Object NONE = new Object();

  /** The only engine an interceptor {@linkplain UCacheInterceptor#using(CacheEngine) given one} has. */
  private final @Nullable CacheEngine givenEngine;
  /**
   * Parsed operations by target class, then method ({@link #NONE} for methods without
   * annotations): the implementation's annotations differ from one target class to another.
   */
  private final ConcurrentHashMap<Class<?>, ConcurrentHashMap<Method, Object>> operations =
      new ConcurrentHashMap<>();
  /** Operations parsed from a method's own annotations, shared by targets that add none. */
  private final ConcurrentHashMap<Method, Object> declaredOperations = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, List<Operation>> readers = new ConcurrentHashMap<>();
  /** The {@code @UCachePut} methods known so far, by the cache they write. */
  private final ConcurrentHashMap<String, List<Operation>> writers = new ConcurrentHashMap<>();
  private final Object registration = new Object();
  /** Compiles expression attributes; set before the first method is parsed, or never. */
  private volatile @Nullable ConditionExpressions expressions;

  OperationRegistry(@Nullable CacheEngine givenEngine) {
    this.givenEngine = givenEngine;
  }

  /**
   * The operation of {@code method} called on a {@code targetClass}, or null when neither the
   * method nor the target's implementation of it carries a cache annotation.
   *
   * @throws CacheConfigException naming the method when its annotations are invalid
   */
  @Nullable Operation operation(Method method, Class<?> targetClass) {
    ConcurrentHashMap<Method, Object> forClass = operations.get(targetClass);
    Object known = forClass == null ? null : forClass.get(method);
    if (known == null) {
      known = parse(method, targetClass);
    }
    return known == NONE ? null : (Operation) known;
  }

  /** The {@code @UCache} methods known so far that cache in {@code name}. */
  List<Operation> readersOf(String name) {
    return readers.getOrDefault(name, List.of());
  }

  /**
   * A {@code @UCache} method known so far that caches in {@code name} on the engine called
   * {@code engine} (as an annotation names it), or null: the one whose cache a put opens.
   */
  @Nullable Operation readerOf(String name, String engine) {
    for (Operation reader : readersOf(name)) {
      if (Objects.requireNonNull(reader.cached).engine().equals(engine)) {
        return reader;
      }
    }
    return null;
  }

  /**
   * Has expression attributes compiled by {@code compiler}.
   *
   * @throws IllegalStateException if a method was parsed already
   */
  void useExpressions(ConditionExpressions compiler) {
    synchronized (registration) {
      if (!operations.isEmpty()) {
        throw new IllegalStateException("expressions must be given before the first call or "
            + "proxy: methods were parsed already");
      }
      expressions = compiler;
    }
  }

  int size() {
    return readers.values().stream().mapToInt(List::size).sum();
  }

  private Object parse(Method method, Class<?> targetClass) {
    ConcurrentHashMap<Method, Object> forClass =
        operations.computeIfAbsent(targetClass, c -> new ConcurrentHashMap<>());
    synchronized (registration) {
      Object known = forClass.get(method);
      if (known != null) {
        return known;
      }
      Method implementation = implementation(method, targetClass);
      if (Operation.isAnnotated(implementation)) {
        known = register(Operation.parse(method, implementation, expressions));
      } else {
        known = declaredOperations.get(method);
        if (known == null) {
          known = register(Operation.parse(method, null, expressions));
          declaredOperations.put(method, known);
        }
      }
      forClass.put(method, known);
      return known;
    }
  }

  private static @Nullable Method implementation(Method method, Class<?> targetClass) {
    if (targetClass.isInterface() || method.getDeclaringClass() == targetClass) {
      return null;
    }
    try {
      return targetClass.getMethod(method.getName(), method.getParameterTypes());
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /** Checks a newly parsed operation against the engine and the others of its cache. */
  private Object register(@Nullable Operation operation) {
    if (operation == null) {
      return NONE;
    }
    CacheSpec spec = operation.written();
    checkEngine(operation, spec == null ? null : spec.engine());
    checkEngine(operation, operation.evict == null ? null : operation.evict.engine());
    if (spec != null) {
      for (Operation reader : readersOf(spec.name())) {
        checkSharing(operation, spec, reader, Objects.requireNonNull(reader.cached));
      }
      if (operation.cached != null) {
        for (Operation writer : writers.getOrDefault(spec.name(), List.of())) {
          checkSharing(operation, spec, writer, Objects.requireNonNull(writer.put));
        }
      }
      (operation.cached != null ? readers : writers)
          .computeIfAbsent(spec.name(), n -> new CopyOnWriteArrayList<>()).add(operation);
    }
    return operation;
  }

  /**
   * Methods sharing a named cache share its entries (the key is the cache name and the
   * arguments), so they must cache the same type, with the same settings: otherwise one would
   * read the other's values as its own, or whichever runs second would fail to open the cache.
   * (A {@code @UCachePut} method has no settings of its own: only its type is checked.)
   */
  private static void checkSharing(Operation operation, CacheSpec spec,
      Operation sibling, CacheSpec other) {
    if (!other.engine().equals(spec.engine())) {
      return;
    }
    if (!other.valueType().equals(spec.valueType())) {
      throw new CacheConfigException(null, "Invalid cache annotations on " + operation
          + ": cache '" + spec.name() + "' holds " + other.valueType()
          + " values for " + sibling + ", not " + spec.valueType() + (operation.put != null
              || sibling.put != null ? "; a @UCachePut method must return the type its cache's "
              + "@UCache methods return" : "; methods sharing a cache share its entries: give "
              + "each its own cache name"));
    }
    if (operation.put != null || sibling.put != null) {
      return; // a put has no settings: it writes the cache as its readers open it
    }
    if (!java.util.Objects.equals(operation.tags, sibling.tags)) {
      throw new CacheConfigException(null, "Invalid cache annotations on " + operation
          + ": cache '" + spec.name() + "' is tagged " + (sibling.tags == null ? "with nothing"
          : sibling.tags) + " by " + sibling + "; methods sharing a cache must give it the "
          + "same tags, which are part of its entries' keys");
    }
    if (!other.settings().equals(spec.settings())) {
      throw new CacheConfigException(null, "Invalid cache annotations on " + operation
          + ": cache '" + spec.name() + "' is also used by " + sibling + " with other "
          + "settings (" + spec.settings().describe() + " here, " + other.settings().describe()
          + " there); methods sharing a cache must give it the same ttl, maxSize and "
          + "nullValues");
    }
  }

  private void checkEngine(Operation operation, @Nullable String engine) {
    if (givenEngine != null && engine != null && !engine.isEmpty()
        && !engine.equals(givenEngine.name())) {
      throw new CacheConfigException("engine", "Invalid cache annotations on " + operation
          + ": engine '" + engine + "' asked for, but this interceptor was given only the '"
          + givenEngine.name() + "' engine");
    }
  }
}
