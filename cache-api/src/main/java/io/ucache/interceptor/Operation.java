package io.ucache.interceptor;

import io.ucache.CacheConfigException;
import io.ucache.annotation.CacheKey;
import io.ucache.annotation.CallCondition;
import io.ucache.annotation.KeyGenerator;
import io.ucache.annotation.ResultCondition;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.annotation.UCachePut;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
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
  /** What {@link UCache} asks for, or null. */
  final @Nullable CacheSpec cached;
  /** What {@link UCachePut} asks for, or null (never both). */
  final @Nullable CacheSpec put;
  final @Nullable EvictSpec evict;
  /** Whether a call of {@link #cached} or {@link #put} uses the cache; null: always. */
  final @Nullable CallCondition condition;
  /** Whether a result of {@link #cached} or {@link #put} is kept out of it; null: never. */
  final @Nullable ResultCondition unless;
  /** The tags of {@link #cached}'s entries, or null. */
  final @Nullable TagTemplates tags;
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
  /**
   * For a bulk method ({@code @UCache(bulk = true)}): the index of the ids parameter, else -1.
   * Each id is a key as a method of the same cache taking one id would make it.
   */
  final int bulkParameter;
  /**
   * Whether a bulk method's ids compare by content (so an in-process engine keys entries by the
   * id itself, as it keys a one-id method's calls), else by their canonical text.
   */
  final boolean bulkIdsByValue;
  /** The engine and cache of the last call, reused while calls go to the same engine. */
  volatile @Nullable Binding binding;
  /**
   * {@link #binding} when calls may take the interceptor's hit path through it (see
   * {@code Binding.servesHitPath}); else null, and calls take the full path.
   */
  volatile @Nullable Binding hitPath;

  /** What {@link UCacheEvict} asks for. */
  record EvictSpec(List<String> names, String engine, boolean allEntries,
      boolean beforeInvocation, @Nullable CallCondition condition,
      @Nullable TagTemplates tags) {}

  private Operation(Method method, String signature, @Nullable CacheSpec cached,
      @Nullable CacheSpec put, @Nullable EvictSpec evict, @Nullable CallCondition condition,
      @Nullable ResultCondition unless, int @Nullable [] keyParameters,
      @Nullable KeyGenerator keyGenerator, int bulkParameter, @Nullable TagTemplates tags) {
    this.method = method;
    this.signature = signature;
    this.cached = cached;
    this.put = put;
    this.evict = evict;
    this.condition = condition;
    this.unless = unless;
    this.tags = tags;
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
    this.bulkParameter = bulkParameter;
    Type ids = bulkParameter < 0 ? null : BulkSignature.idType(types[bulkParameter]);
    this.bulkIdsByValue = ids != null && KeyTypes.valueEqual(ids)
        && !BulkSignature.erasure(ids).isArray();
  }

  /**
   * Parses the annotations of {@code method}, looking at {@code implementation} (the target's own
   * method, which may carry them instead) too; null when neither is annotated. Expression
   * attributes are compiled by {@code expressions}, or refused when it is null.
   *
   * @throws CacheConfigException naming the method when its attributes contradict each other
   */
  static @Nullable Operation parse(Method method, @Nullable Method implementation,
      @Nullable ConditionExpressions expressions) {
    UCache cache = annotation(method, implementation, UCache.class);
    UCachePut put = annotation(method, implementation, UCachePut.class);
    UCacheEvict evict = annotation(method, implementation, UCacheEvict.class);
    if (cache == null && put == null && evict == null) {
      return null;
    }
    Method annotated = isAnnotated(implementation) ? implementation : method;
    // The annotated method is the identity: two implementations of one interface, each with its
    // own annotations, must not share names or entries.
    String where = signature(annotated);
    if (cache != null && put != null) {
      throw invalid(where, "@UCache and @UCachePut on one method: @UCache skips the method on a "
          + "hit, @UCachePut always runs it; keep one");
    }
    int[] keyParameters = keyParameters(annotated);
    Class<? extends KeyGenerator> generatorType = cache != null ? cache.keyGenerator()
        : put != null ? put.keyGenerator() : KeyGenerator.class;
    KeyGenerator generator = null;
    if (generatorType != KeyGenerator.class) {
      if (keyParameters != null) {
        throw invalid(where, "@CacheKey and keyGenerator cannot be combined");
      }
      generator = Conditions.instantiate(generatorType, "keyGenerator", where);
    }
    CacheSpec cacheSpec = cache == null ? null : CacheSpec.parse(cache, method, where);
    CacheSpec putSpec = put == null ? null : CacheSpec.parsePut(put, method, where);
    CallCondition condition = null;
    ResultCondition unless = null;
    if (cache != null) {
      condition = Conditions.condition("@UCache", annotated, where, cache.condition(),
          cache.conditionClass(), expressions);
      unless = Conditions.unless("@UCache", annotated, where, cache.unless(),
          cache.unlessClass(), expressions);
    } else if (put != null) {
      condition = Conditions.condition("@UCachePut", annotated, where, put.condition(),
          put.conditionClass(), expressions);
      unless = Conditions.unless("@UCachePut", annotated, where, put.unless(),
          put.unlessClass(), expressions);
    }
    EvictSpec evictSpec = evict == null ? null : evictSpec(evict, annotated, where,
        cacheSpec != null ? cacheSpec : putSpec, expressions, keyParameters);
    int bulkParameter = cache != null && cache.bulk()
        ? BulkSignature.idsParameter(method, keyParameters, generator, unless, cacheSpec, where)
        : -1;
    TagTemplates tags = cache == null ? null
        : TagTemplates.parse(cache.tags(), annotated, keyParameters, where);
    if (tags != null && (cache.ttl().isBlank() || generator != null || bulkParameter >= 0)) {
      throw invalid(where, "tags need a ttl (an invalidated tag's entries are left to expire), "
          + "and cannot be combined with a keyGenerator or bulk");
    }
    if (cacheSpec != null && (cacheSpec.result() == CacheSpec.Result.MONO
        || cacheSpec.result() == CacheSpec.Result.FLUX) && (tags != null || bulkParameter >= 0
            || !cache.refreshAfter().isBlank() || !cache.staleWhileRevalidate().isBlank()
            || !cache.staleIfError().isBlank())) {
      throw invalid(where, "a method returning a Mono or Flux is cached without tags, bulk, "
          + "refreshAfter and the stale windows (each would read or load outside the "
          + "subscriber's flow)");
    }
    if (putSpec != null && (putSpec.result() == CacheSpec.Result.MONO
        || putSpec.result() == CacheSpec.Result.FLUX)) {
      throw invalid(where, "@UCachePut on a method returning a Mono or Flux is not supported: "
          + "cache the value with a @UCache method, or evict with @UCacheEvict");
    }
    // An eviction of all entries, or of tags only, uses no key: its parameters need no form.
    boolean usesKeys = cacheSpec != null || putSpec != null
        || !evictSpec.allEntries() && !evictSpec.names().isEmpty();
    Class<?>[] types = method.getParameterTypes();
    for (int i = 0; i < types.length && usesKeys && bulkParameter < 0; i++) {
      boolean isKey = keyParameters == null || Arrays.binarySearch(keyParameters, i) >= 0;
      if (isKey && generator == null && !KeyTypes.encodable(types[i])) {
        throw invalid(where, "parameter " + i + " (" + types[i].getName() + ") has no canonical "
            + "key form; mark the others with @CacheKey, or set a keyGenerator");
      }
    }
    return new Operation(method, where, cacheSpec, putSpec, evictSpec, condition, unless,
        keyParameters, generator, bulkParameter, tags);
  }

  private static EvictSpec evictSpec(UCacheEvict evict, Method annotated, String where,
      @Nullable CacheSpec written, @Nullable ConditionExpressions expressions,
      int @Nullable [] keyParameters) {
    List<String> names = List.of(evict.name());
    TagTemplates tags = TagTemplates.parse(evict.tags(), annotated, keyParameters, where);
    if (names.isEmpty() && tags == null || names.stream().anyMatch(String::isBlank)) {
      throw invalid(where, "@UCacheEvict needs the name of each cache to evict from, or tags");
    }
    if (names.isEmpty() && evict.allEntries()) {
      throw invalid(where, "@UCacheEvict(allEntries = true) needs the names of the caches");
    }
    if (names.size() != new HashSet<>(names).size()) {
      throw invalid(where, "@UCacheEvict names a cache twice: " + names);
    }
    if (written != null && names.contains(written.name())) {
      throw invalid(where, "the method caches in and evicts from the same cache '"
          + written.name() + "': it would evict what it caches");
    }
    CallCondition condition = Conditions.condition("@UCacheEvict", annotated, where,
        evict.condition(), evict.conditionClass(), expressions);
    return new EvictSpec(names, evict.engine(), evict.allEntries(), evict.beforeInvocation(),
        condition, tags);
  }

  /** What the method caches: {@link #cached} or {@link #put}, or null. */
  @Nullable CacheSpec written() {
    return cached != null ? cached : put;
  }

  /** Whether {@code method} carries a cache annotation of its own. */
  static boolean isAnnotated(@Nullable Method method) {
    return method != null && (method.isAnnotationPresent(UCache.class)
        || method.isAnnotationPresent(UCachePut.class)
        || method.isAnnotationPresent(UCacheEvict.class));
  }

  boolean isKey(int parameter) {
    return keyParameters == null || Arrays.binarySearch(keyParameters, parameter) >= 0;
  }

  /** A call's arguments as conditions get them: never null. */
  static @Nullable Object[] arguments(@Nullable Object @Nullable [] args) {
    return args == null ? NO_ARGUMENTS : args;
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
