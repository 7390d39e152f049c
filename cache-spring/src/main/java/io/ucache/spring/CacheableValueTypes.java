package io.ucache.spring;

import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cache.annotation.AnnotationCacheOperationSource;
import org.springframework.cache.interceptor.CacheOperation;
import org.springframework.cache.interceptor.CachePutOperation;
import org.springframework.cache.interceptor.CacheableOperation;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Learns what each Spring cache holds from the {@code @Cacheable} and {@code @CachePut} methods
 * of the application's beans: the method's generic return type ({@code List<Book>}, a bean),
 * unwrapped from {@code Optional} and futures as Spring unwraps them. {@link UCacheCacheManager}
 * opens a cache on a disk or remote engine with that type, so values need not be
 * {@code Serializable} (JSON when Jackson 3 is there) and no {@code value-types} property is
 * needed. Methods of one cache that return different types teach nothing: that cache keeps the
 * default (Java serialization of JDK value types) unless configured.
 *
 * <p>A bean post-processor, so it sees every bean as it is created, before the caches are used.
 * Thread-safe.
 */
public final class CacheableValueTypes implements BeanPostProcessor {

  /** Marks a cache whose methods disagree. */
  private static final Type CONFLICT = Void.class;

  private final AnnotationCacheOperationSource operations = new AnnotationCacheOperationSource(false);
  private final ConcurrentHashMap<String, Type> learned = new ConcurrentHashMap<>();

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
    if (type.getName().startsWith("org.springframework.") || !operations.isCandidateClass(type)) {
      return bean;
    }
    for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type)) {
      Collection<CacheOperation> found = operations.getCacheOperations(method, type);
      if (found == null) {
        continue;
      }
      for (CacheOperation operation : found) {
        if (operation instanceof CacheableOperation || operation instanceof CachePutOperation) {
          Type value = valueType(method);
          if (value != null) {
            operation.getCacheNames().forEach(name -> learn(name, value));
          }
        }
      }
    }
    return bean;
  }

  /** What the methods of cache {@code name} return, when they all agree; else null. */
  @Nullable Type typeOf(String name) {
    Type type = learned.get(name);
    return type == CONFLICT ? null : type;
  }

  /** The caches whose methods return different types. */
  Set<String> conflicts() {
    Set<String> names = ConcurrentHashMap.newKeySet();
    learned.forEach((name, type) -> {
      if (type == CONFLICT) {
        names.add(name);
      }
    });
    return names;
  }

  private void learn(String name, Type type) {
    learned.merge(name, type, (known, other) -> known.equals(other) ? known : CONFLICT);
  }

  /** The cached value's type: the return type, unwrapped as Spring unwraps it; null if none. */
  private static @Nullable Type valueType(Method method) {
    Class<?> returned = method.getReturnType();
    if (returned == void.class || returned == Void.class) {
      return null;
    }
    if (returned.isPrimitive()) {
      return ClassUtils.resolvePrimitiveIfNecessary(returned);
    }
    Type type = method.getGenericReturnType();
    if (returned == Optional.class || CompletionStage.class.isAssignableFrom(returned)) {
      return type instanceof ParameterizedType p ? p.getActualTypeArguments()[0] : null;
    }
    return type;
  }
}
