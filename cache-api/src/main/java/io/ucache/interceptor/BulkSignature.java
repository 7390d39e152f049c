package io.ucache.interceptor;

import io.ucache.CacheConfigException;
import io.ucache.annotation.KeyGenerator;
import io.ucache.annotation.ResultCondition;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The shape a bulk method ({@code @UCache(bulk = true)}) must have, checked once when parsed. */
final class BulkSignature {

  private BulkSignature() {}

  /**
   * The ids parameter of a bulk method: its one key parameter, a {@code Collection},
   * {@code List} or {@code Set} of ids that have a key form.
   *
   * @throws CacheConfigException naming the method when it is not one
   */
  static int idsParameter(Method method, int @Nullable [] keyParameters,
      @Nullable KeyGenerator generator, @Nullable ResultCondition unless, CacheSpec spec,
      String where) {
    if (generator != null) {
      throw Operation.invalid(where, "@UCache(bulk = true) keys each entry by one id, as a method taking "
          + "one id does: remove the keyGenerator");
    }
    if (unless != null) {
      throw Operation.invalid(where, "@UCache(bulk = true) cannot be combined with unless");
    }
    Class<?>[] types = method.getParameterTypes();
    int index;
    if (keyParameters == null) {
      if (types.length != 1) {
        throw Operation.invalid(where, "@UCache(bulk = true) needs one parameter of ids: mark it with "
            + "@CacheKey");
      }
      index = 0;
    } else if (keyParameters.length == 1) {
      index = keyParameters[0];
    } else {
      throw Operation.invalid(where, "@UCache(bulk = true) takes one parameter of ids, not "
          + keyParameters.length + " @CacheKey parameters");
    }
    Class<?> ids = types[index];
    if (ids != java.util.Collection.class && ids != List.class && ids != java.util.Set.class) {
      throw Operation.invalid(where, "@UCache(bulk = true) needs the ids parameter declared as a "
          + "Collection, List or Set, not " + ids.getName());
    }
    if (spec.result() == CacheSpec.Result.LIST && ids != List.class) {
      throw Operation.invalid(where, "@UCache(bulk = true) returning a List (values in the order of the "
          + "ids) needs a List of ids; return a Map for a " + ids.getSimpleName());
    }
    Type id = idType(method.getGenericParameterTypes()[index]);
    if (!KeyTypes.encodable(erasure(id))) {
      throw Operation.invalid(where, "the ids of parameter " + index + " (" + id.getTypeName()
          + ") have no canonical key form");
    }
    return index;
  }

  /** The element type of a collection parameter; {@code Object} for a raw or wildcard one. */
  static Type idType(Type collection) {
    if (collection instanceof java.lang.reflect.ParameterizedType p
        && !(p.getActualTypeArguments()[0] instanceof java.lang.reflect.WildcardType)) {
      return p.getActualTypeArguments()[0];
    }
    return Object.class;
  }

  static Class<?> erasure(Type type) {
    return type instanceof Class<?> c ? c
        : type instanceof java.lang.reflect.ParameterizedType p
            && p.getRawType() instanceof Class<?> raw ? raw : Object.class;
  }
}
