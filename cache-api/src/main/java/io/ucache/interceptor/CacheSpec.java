package io.ucache.interceptor;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.ValueType;
import io.ucache.annotation.Toggle;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCachePut;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * What {@link UCache} or {@link UCachePut} asks for on one method: the cache, its settings, and
 * how the method's result holds the cached value.
 */
record CacheSpec(String name, String engine, CacheConfig settings, boolean sync, Result result,
    ValueType<?> valueType) {

  /**
   * How the method returns the value: as it is, in an {@code Optional}, in a future, in a
   * Reactor {@code Mono} (its value) or {@code Flux} (the list of its values); or, for a bulk
   * method, values by id in a {@code Map}, or in a {@code List} in the order of the ids.
   */
  enum Result { PLAIN, OPTIONAL, FUTURE, MAP, LIST, MONO, FLUX }

  /**
   * Parses {@code cache} on {@code method}; {@code where} names the annotated method, which is
   * also the cache's name when the annotation gives none.
   *
   * @throws CacheConfigException naming the method when the attributes are invalid
   */
  static CacheSpec parse(UCache cache, Method method, String where) {
    Result result = cache.bulk() ? bulkResult(method, where) : result(method, where, "@UCache");
    Type valueType = returnedValueType(method, result);
    CacheConfig.Builder settings = CacheConfig.builder();
    try {
      setIfGiven(settings, "ttl", cache.ttl());
      setIfGiven(settings, "refresh-after", cache.refreshAfter());
      setIfGiven(settings, "stale-while-revalidate", cache.staleWhileRevalidate());
      setIfGiven(settings, "stale-if-error", cache.staleIfError());
      setIfGiven(settings, "single-flight.scope", cache.singleFlight());
      if (cache.maxSize() != -1) {
        settings.maxSize(cache.maxSize());
      }
    } catch (CacheConfigException e) {
      throw Operation.invalid(where, e.getMessage());
    }
    if (!cache.sync() && !cache.singleFlight().isBlank()) {
      throw Operation.invalid(where, "singleFlight = \"" + cache.singleFlight() + "\" says how "
          + "far sync reaches, and sync is false; remove one of the two");
    }
    if (cache.nullValues() != Toggle.INHERIT) {
      settings.nullValues(cache.nullValues() == Toggle.ON);
    }
    String name = cache.name().isBlank() ? where : cache.name();
    return new CacheSpec(name, cache.engine(), settings.build(), cache.sync(), result,
        valueType(valueType));
  }

  /**
   * Parses {@code put} on {@code method}: its cache has no settings of its own (a known reader's,
   * or the engine's configuration of the cache, apply).
   *
   * @throws CacheConfigException naming the method when the attributes are invalid
   */
  static CacheSpec parsePut(UCachePut put, Method method, String where) {
    if (put.name().isBlank()) {
      throw Operation.invalid(where, "@UCachePut needs the name of the cache to write to");
    }
    Result result = result(method, where, "@UCachePut");
    return new CacheSpec(put.name(), put.engine(), CacheConfig.builder().build(), false, result,
        valueType(returnedValueType(method, result)));
  }

  private static Result result(Method method, String where, String annotation) {
    Class<?> returned = method.getReturnType();
    if (returned == void.class || returned == Void.class) {
      throw Operation.invalid(where, annotation + " on a method that returns nothing");
    }
    return returned == Optional.class ? Result.OPTIONAL
        : returned == CompletableFuture.class || returned == CompletionStage.class
            ? Result.FUTURE
        // By name: Reactor is optional, and a method returning its types brings it.
        : returned.getName().equals("reactor.core.publisher.Mono") ? Result.MONO
        : returned.getName().equals("reactor.core.publisher.Flux") ? Result.FLUX
        : Result.PLAIN;
  }

  /** What a bulk method returns: a {@code Map}, or a {@code List}. */
  private static Result bulkResult(Method method, String where) {
    Class<?> returned = method.getReturnType();
    if (returned != Map.class && returned != List.class) {
      throw Operation.invalid(where, "@UCache(bulk = true) needs a method returning Map<id, "
          + "value> (or List<value> for a List of ids), not " + returned.getName());
    }
    return returned == Map.class ? Result.MAP : Result.LIST;
  }

  /**
   * The type of the value {@code method} returns: unwrapped from an Optional or a future; a
   * bulk method's value type (a Map's second type argument, a List's first).
   */
  private static Type returnedValueType(Method method, Result result) {
    Class<?> returned = method.getReturnType();
    Type generic = method.getGenericReturnType();
    if (result == Result.MAP) {
      return generic instanceof ParameterizedType p ? p.getActualTypeArguments()[1]
          : Object.class;
    }
    if (result == Result.FLUX) {
      return new ListOf(typeArgument(generic));
    }
    if (result != Result.PLAIN) {
      return typeArgument(generic);
    }
    return returned.isPrimitive() ? Operation.box(returned) : generic;
  }

  private static void setIfGiven(CacheConfig.Builder settings, String key, String value) {
    if (!value.isBlank()) {
      settings.set(key, value);
    }
  }

  /** The type argument of {@code Optional<T>} or a future; {@code Object} for a raw one. */
  private static Type typeArgument(Type type) {
    return type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : Object.class;
  }

  /**
   * The values' type for the codec: the full generic type ({@code List<Item>}), or its class
   * when it holds a type variable or wildcard, which no codec could resolve.
   */
  private static ValueType<?> valueType(Type type) {
    try {
      return ValueType.of(type);
    } catch (IllegalArgumentException e) {
      return ValueType.of(erasure(type));
    }
  }

  /** {@code List<element>}, what a Flux method's entries hold, as the JDK's own types compare. */
  private record ListOf(Type element) implements ParameterizedType {
    @Override
    public Type[] getActualTypeArguments() {
      return new Type[] {element};
    }

    @Override
    public Type getRawType() {
      return List.class;
    }

    @Override
    public @Nullable Type getOwnerType() {
      return null;
    }

    @Override
    public boolean equals(@Nullable Object other) {
      return other instanceof ParameterizedType that && that.getRawType() == List.class
          && that.getOwnerType() == null
          && java.util.Arrays.equals(that.getActualTypeArguments(), getActualTypeArguments());
    }

    @Override
    public int hashCode() {
      // As the JDK's ParameterizedTypeImpl: arguments ^ owner ^ raw type.
      return java.util.Arrays.hashCode(getActualTypeArguments()) ^ List.class.hashCode();
    }

    @Override
    public String getTypeName() {
      return "java.util.List<" + element.getTypeName() + ">";
    }

    @Override
    public String toString() {
      return getTypeName();
    }
  }

  private static Class<?> erasure(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      return raw;
    }
    return Object.class; // a type variable or wildcard
  }
}
