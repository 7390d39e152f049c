package io.ucache.spring;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.ValueType;
import java.io.Serializable;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches live in a UCache {@link CacheEngine}, so
 * {@code @Cacheable}, {@code @CachePut} and {@code @CacheEvict} (and {@code sync = true}) run on
 * Caffeine, Ehcache or Redis. Caches are created when first asked for, with the engine's
 * configuration and its {@code caches.<name>.*} overrides; {@link #getCacheNames()} lists those
 * created so far and the engine's other caches, {@code @UCache} methods' included (Boot's
 * {@code caches} actuator endpoint shows them).
 *
 * <p><b>Null values:</b> allowed by default, as in Spring's own caches; a cache whose UCache
 * configuration sets {@code null-values} (engine-wide or for that cache) follows it.
 *
 * <p><b>Engines that store bytes</b> (ehcache, redis): keys become the canonical text that
 * {@code @UCache} keys use ({@link io.ucache.CacheKeys}), so they must be strings, boxed
 * primitives, enums, UUIDs, {@code java.time} values, records, or arrays and collections of such
 * (Spring's {@code SimpleKey} of such included). Values are stored with the codec the cache's
 * value type gets ({@code codec=auto}: JSON when Jackson 3 is on the class path, else Java
 * serialization behind an allow-list). The value type is, in order: the one set with
 * {@link #setValueType}; the generic return type of the {@code @Cacheable} and {@code @CachePut}
 * methods of the cache, when a {@link CacheableValueTypes} learned them and they agree; else
 * {@code Serializable} (JDK value types only). In-memory engines keep keys and values as they
 * are.
 *
 * <p><b>Thread-safety:</b> thread-safe. <b>Nulls:</b> no argument may be null;
 * {@link #getCache} never returns null. The engine belongs to the caller, who closes it.
 */
public class UCacheCacheManager implements CacheManager {

  private final CacheEngine engine;
  private final boolean allowNullValues;
  private final boolean bytes;
  private final Map<String, ValueType<?>> valueTypes = new ConcurrentHashMap<>();
  private final @Nullable CacheableValueTypes learned;
  private final ConcurrentHashMap<String, UCacheSpringCache> caches = new ConcurrentHashMap<>();
  private final List<Consumer<org.springframework.cache.Cache>> listeners =
      new CopyOnWriteArrayList<>();

  /** A manager over {@code engine}, allowing null values unless the configuration says no. */
  public UCacheCacheManager(CacheEngine engine) {
    this(engine, true);
  }

  /**
   * A manager over {@code engine}; {@code allowNullValues} applies to caches whose UCache
   * configuration does not set {@code null-values}.
   */
  public UCacheCacheManager(CacheEngine engine, boolean allowNullValues) {
    this(engine, allowNullValues, null);
  }

  /**
   * A manager over {@code engine} whose caches on a disk or remote engine hold what the
   * {@code @Cacheable} methods that {@code learned} saw return.
   */
  public UCacheCacheManager(CacheEngine engine, boolean allowNullValues,
      @Nullable CacheableValueTypes learned) {
    this.engine = Objects.requireNonNull(engine, "engine");
    this.allowNullValues = allowNullValues;
    this.bytes = !engine.capabilities().contains(Capability.IN_PROCESS);
    this.learned = learned;
  }

  /**
   * The type of the values cache {@code name} holds on an engine that stores bytes (a class, or
   * a generic type such as a method's {@code getGenericReturnType()}): what its codec reads
   * back. Set it before the cache is first used.
   *
   * @throws IllegalStateException if the cache was already created
   * @throws IllegalArgumentException if {@code type} holds a type variable
   */
  public void setValueType(String name, Type type) {
    ValueType<?> valueType = ValueType.of(Objects.requireNonNull(type, "type"));
    if (caches.containsKey(name)) {
      throw new IllegalStateException("Cache '" + name + "' already exists; set its value type "
          + "before its first use");
    }
    valueTypes.put(name, valueType);
  }

  /** Creates the caches called {@code names} now, so that they are listed from the start. */
  public void createCaches(Collection<String> names) {
    names.forEach(this::getCache);
  }

  /**
   * Calls {@code listener} with every cache this manager has created and will create: how
   * metrics bind to caches that appear after start-up.
   */
  public void onCacheCreated(Consumer<org.springframework.cache.Cache> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    caches.values().forEach(listener);
  }

  /** The engine the caches live in. */
  public CacheEngine getEngine() {
    return engine;
  }

  /**
   * The cache called {@code name}, created on first use.
   *
   * @throws IllegalStateException if the engine is closed
   * @throws io.ucache.CacheConfigException if the engine cannot open it (a bad value type)
   */
  @Override
  public org.springframework.cache.Cache getCache(String name) {
    UCacheSpringCache cache = caches.get(name);
    if (cache != null) {
      return cache;
    }
    boolean[] created = {false};
    cache = caches.computeIfAbsent(name, n -> {
      created[0] = true;
      return create(n);
    });
    if (created[0]) {
      UCacheSpringCache made = cache;
      listeners.forEach(listener -> listener.accept(made));
    }
    return cache;
  }

  /**
   * The caches of the engine: those this manager created, and those opened on the engine
   * otherwise ({@code @UCache} methods' caches, caches the application opened itself), so that
   * {@code /actuator/caches} lists every cache of the application's engine.
   */
  @Override
  public Collection<String> getCacheNames() {
    Set<String> names = new TreeSet<>(caches.keySet());
    if (!engine.isClosed()) {
      names.addAll(engine.cacheNames());
    }
    return Collections.unmodifiableSet(names);
  }

  @SuppressWarnings("unchecked")
  private UCacheSpringCache create(String name) {
    CacheConfig own = engine.config().forCache(name);
    Class<?> keyType = bytes ? String.class : Object.class;
    boolean openedOtherwise = !valueTypes.containsKey(name)
        && engine.cacheNames().contains(name);
    boolean nulls;
    Cache<Object, Object> cache;
    if (openedOtherwise) {
      // A @UCache method's cache, or one the application opened: a view of whatever it holds,
      // with the settings it was opened with.
      cache = engine.cache(name, (Class<Object>) keyType, ValueType.of(Object.class));
      nulls = cache instanceof io.ucache.spi.AbstractCache<?, ?, ?> template
          ? template.config().nullValues() : own.nullValues();
    } else {
      nulls = own.isSet("null-values") ? own.nullValues() : allowNullValues;
      ValueType<?> valueType = bytes ? valueTypeOf(name) : ValueType.of(Object.class);
      cache = engine.cache(name, (Class<Object>) keyType, (ValueType<Object>) valueType,
          CacheConfig.builder().nullValues(nulls).build());
    }
    // Annotation-driven caching fails open unless the configuration says fail-mode (as @UCache).
    boolean failOpen = !own.isSet("fail-mode") || own.failMode() == io.ucache.FailMode.OPEN;
    return new UCacheSpringCache(cache, nulls, bytes, engine.name(), failOpen);
  }

  private ValueType<?> valueTypeOf(String name) {
    ValueType<?> set = valueTypes.get(name);
    if (set != null) {
      return set;
    }
    Type type = learned == null ? null : learned.typeOf(name);
    if (type != null) {
      try {
        return ValueType.of(type);
      } catch (IllegalArgumentException e) {
        // A generic method (<T> T find()): no type to read values back as.
      }
    }
    return ValueType.of(Serializable.class);
  }

  @Override
  public String toString() {
    return "UCacheCacheManager{engine=" + engine.name() + ", caches=" + caches.keySet() + "}";
  }

  /** For tests and the metrics: the bridge cache, if created. */
  @Nullable UCacheSpringCache existing(String name) {
    return caches.get(name);
  }
}
