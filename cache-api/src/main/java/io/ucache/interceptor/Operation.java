package io.ucache.interceptor;

import io.ucache.CacheConfigException;
import io.ucache.annotation.CacheKey;
import io.ucache.annotation.KeyGenerator;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * What the annotations of one method ask for, parsed and checked once. Everything a call needs is
 * precomputed here, so a cache hit does no reflection and builds no string.
 */
final class Operation {

  private static final Object[] NO_ARGUMENTS = {};

  final Method method;
  /**
   * Class, name and parameter types of the annotated method (the implementation's when the
   * annotations sit on it): the default cache name, and the method in messages.
   */
  final String signature;
  final @Nullable CacheSpec cached;
  final @Nullable EvictSpec evict;
  /** Indexes of the parameters that form the key, or null for all of them. */
  final int @Nullable [] keyParameters;
  final @Nullable KeyGenerator keyGenerator;
  /**
   * Whether every key parameter's declared type compares by content
   * ({@link KeyTypes#valueEqual}), so that an in-process engine may key calls by a
   * {@link CallKey} of the arguments themselves. Otherwise (an {@code Object}, a
   * {@code Collection}, a record holding an array...) equal arguments might not be
   * {@code equals}, and calls are keyed by their canonical text on every engine.
   */
  final boolean valueEqualKeys;
  /**
   * The index of the call argument that is the whole key, or -1: set when exactly one parameter
   * forms the key, without a generator, and its type compares by content but is not an array.
   * Such an argument is a key by itself on an in-process engine ({@link Binding}): no wrapper
   * is built for a hit.
   */
  final int singleKey;
  /** The engine and cache of the last call, reused while calls go to the same engine. */
  volatile @Nullable Binding binding;
  /**
   * {@link #binding} when calls may take the interceptor's hit path through it (see
   * {@code Binding.servesHitPath}); else null, and calls take the full path.
   */
  volatile @Nullable Binding hitPath;

  /** What {@link UCacheEvict} asks for. */
  record EvictSpec(String name, String engine, boolean allEntries) {}

  private Operation(Method method, String signature, @Nullable CacheSpec cached,
      @Nullable EvictSpec evict, int @Nullable [] keyParameters,
      @Nullable KeyGenerator keyGenerator) {
    this.method = method;
    this.signature = signature;
    this.cached = cached;
    this.evict = evict;
    this.keyParameters = keyParameters;
    this.keyGenerator = keyGenerator;
    boolean valueEqual = keyGenerator == null;
    Type[] types = method.getGenericParameterTypes();
    for (int i = 0; i < types.length && valueEqual; i++) {
      valueEqual = !isKey(i) || KeyTypes.valueEqual(types[i]);
    }
    this.valueEqualKeys = valueEqual;
    int single = -1;
    if (valueEqual && keyGenerator == null) {
      if (keyParameters == null && types.length == 1) {
        single = 0;
      } else if (keyParameters != null && keyParameters.length == 1) {
        single = keyParameters[0];
      }
    }
    // Arrays compare by content only inside a CallKey.
    this.singleKey = single >= 0 && !method.getParameterTypes()[single].isArray() ? single : -1;
  }

  /**
   * Parses the annotations of {@code method}, looking at {@code implementation} (the target's own
   * method, which may carry them instead) too; null when neither is annotated.
   *
   * @throws CacheConfigException naming the method when its attributes contradict each other
   */
  static @Nullable Operation parse(Method method, @Nullable Method implementation) {
    UCache cache = annotation(method, implementation, UCache.class);
    UCacheEvict evict = annotation(method, implementation, UCacheEvict.class);
    if (cache == null && evict == null) {
      return null;
    }
    Method annotated = isAnnotated(implementation) ? implementation : method;
    // The annotated method is the identity: two implementations of one interface, each with its
    // own annotations, must not share names or entries.
    String where = signature(annotated);
    int[] keyParameters = keyParameters(annotated);
    KeyGenerator generator = null;
    CacheSpec cacheSpec = null;
    if (cache != null) {
      cacheSpec = CacheSpec.parse(cache, method, where);
      if (cache.keyGenerator() != KeyGenerator.class) {
        if (keyParameters != null) {
          throw invalid(where, "@CacheKey and keyGenerator cannot be combined");
        }
        generator = instantiate(cache.keyGenerator(), where);
      }
    }
    EvictSpec evictSpec = null;
    if (evict != null) {
      if (evict.name().isBlank()) {
        throw invalid(where, "@UCacheEvict needs the name of the cache to evict from");
      }
      if (cache != null && evict.name().equals(cacheSpec.name())) {
        throw invalid(where, "@UCache and @UCacheEvict name the same cache '" + evict.name()
            + "': the method would evict what it caches");
      }
      evictSpec = new EvictSpec(evict.name(), evict.engine(), evict.allEntries());
    }
    // An eviction of all entries uses no key, so its parameters need no canonical form.
    boolean usesKeys = cacheSpec != null || !evictSpec.allEntries();
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length && usesKeys; i++) {
      boolean isKey = keyParameters == null || Arrays.binarySearch(keyParameters, i) >= 0;
      if (isKey && generator == null && !KeyTypes.encodable(types[i])) {
        throw invalid(where, "parameter " + i + " (" + types[i].getName() + ") has no canonical "
            + "key form; mark the others with @CacheKey, or set a keyGenerator");
      }
    }
    return new Operation(method, where, cacheSpec, evictSpec, keyParameters, generator);
  }

  /** Whether {@code method} carries a cache annotation of its own. */
  static boolean isAnnotated(@Nullable Method method) {
    return method != null && (method.isAnnotationPresent(UCache.class)
        || method.isAnnotationPresent(UCacheEvict.class));
  }

  boolean isKey(int parameter) {
    return keyParameters == null || Arrays.binarySearch(keyParameters, parameter) >= 0;
  }

  /**
   * The key arguments of a call: the array as given when every parameter is a key. They may be
   * the caller's own arrays: a key that is stored must be {@linkplain CallKey#detached detached}.
   */
  @Nullable Object[] keyArguments(@Nullable Object @Nullable [] args) {
    Object[] all = args == null ? NO_ARGUMENTS : args;
    if (keyGenerator != null) {
      // Also for a method without parameters: the generator may key on more than arguments.
      return new Object[] {keyGenerator.generate(method, all)};
    }
    return selectKeyArguments(all);
  }

  /** The arguments of the key parameters ({@link CacheKey}, else all), without a generator. */
  @Nullable Object[] selectKeyArguments(@Nullable Object @Nullable [] args) {
    Object[] all = args == null ? NO_ARGUMENTS : args;
    if (keyParameters == null) {
      return all;
    }
    Object[] selected = new Object[keyParameters.length];
    for (int i = 0; i < keyParameters.length; i++) {
      selected[i] = all[keyParameters[i]];
    }
    return selected;
  }

  /**
   * The key arguments this operation's entries have for an eviction's key arguments (which have
   * the types of this operation's key parameters): the same, or what its generator makes of them.
   */
  @Nullable Object[] keyArgumentsForEviction(@Nullable Object[] evictionKeyArguments) {
    return keyGenerator == null ? evictionKeyArguments
        : new Object[] {keyGenerator.generate(method, evictionKeyArguments)};
  }

  /** The types of the key parameters, boxed, to match evictions with cached methods. */
  Class<?>[] keyTypes() {
    Class<?>[] types = method.getParameterTypes();
    int count = keyParameters == null ? types.length : keyParameters.length;
    Class<?>[] selected = new Class<?>[count];
    for (int i = 0; i < count; i++) {
      selected[i] = box(types[keyParameters == null ? i : keyParameters[i]]);
    }
    return selected;
  }

  static String signature(Method method) {
    return method.getDeclaringClass().getName() + "." + method.getName() + "("
        + Arrays.stream(method.getParameterTypes()).map(Class::getTypeName)
            .collect(Collectors.joining(",")) + ")";
  }

  @Override
  public String toString() {
    return signature;
  }

  private static <A extends Annotation> @Nullable A annotation(Method method,
      @Nullable Method implementation, Class<A> type) {
    A onImplementation = implementation == null ? null : implementation.getAnnotation(type);
    return onImplementation != null ? onImplementation : method.getAnnotation(type);
  }

  private static int @Nullable [] keyParameters(Method method) {
    Annotation[][] annotations = method.getParameterAnnotations();
    int[] marked = new int[annotations.length];
    int count = 0;
    for (int i = 0; i < annotations.length; i++) {
      for (Annotation a : annotations[i]) {
        if (a instanceof CacheKey) {
          marked[count++] = i;
        }
      }
    }
    return count == 0 ? null : Arrays.copyOf(marked, count);
  }

  private static KeyGenerator instantiate(Class<? extends KeyGenerator> type, String where) {
    try {
      var constructor = type.getDeclaredConstructor();
      constructor.trySetAccessible();
      return constructor.newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw invalid(where, "keyGenerator " + type.getName() + " cannot be created with a "
          + "no-argument constructor: " + e);
    }
  }

  static Class<?> box(Class<?> type) {
    if (!type.isPrimitive()) {
      return type;
    }
    return java.lang.invoke.MethodType.methodType(type).wrap().returnType();
  }

  static CacheConfigException invalid(String where, @Nullable String problem) {
    return new CacheConfigException(null, "Invalid cache annotations on " + where + ": " + problem);
  }
}
