package io.ucache.interceptor;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheKeys;
import io.ucache.Capability;
import io.ucache.FailMode;
import io.ucache.ValueType;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One {@code @UCache} method's cache on one engine, with what a call needs to know about it, and
 * the rule that makes its keys. A key is the cache's name (the engine's prefix) and the call's
 * key arguments, nothing of the method: methods sharing a named cache share entries, a renamed
 * class keeps them, and any process evicts them with the same arguments. An in-process engine
 * gets the arguments themselves (one bare argument, or a {@link CallKey}) when their declared
 * types compare by content; every other engine, and arguments that do not, get
 * {@link CacheKeys#of}'s text, hashed when longer than the engine's {@code max-key-bytes}.
 */
final class Binding {

  final CacheEngine engine;
  /** The engine name it was bound for: an annotation's, "" for the current or default one. */
  final String engineName;
  /** Whether the engine is an {@code EngineContext}'s, which may change from call to call. */
  final boolean fromContext;
  final Cache<Object, Object> cache;
  final boolean inProcess;
  final boolean nullValues;
  final FailMode failMode;
  /**
   * Whether the cache refreshes entries or serves stale ones: every call then goes through
   * {@code get(key, loader)}, which needs the method to run it again.
   */
  final boolean refreshes;
  private final long maxKeyBytes;

  /**
   * Opens {@code operation}'s cache on {@code engine}.
   *
   * @throws io.ucache.CacheException if the engine fails
   * @throws IllegalArgumentException if the engine cannot hold the cache as the method needs
   */
  @SuppressWarnings("unchecked")
  Binding(CacheEngine engine, String engineName, boolean fromContext, Operation operation) {
    CacheSpec spec = Objects.requireNonNull(operation.written());
    this.engine = engine;
    this.engineName = engineName;
    this.fromContext = fromContext;
    this.inProcess = engine.capabilities().contains(Capability.IN_PROCESS);
    // In-process engines keep the key object; others need a key and a value they can encode.
    Class<?> keyType = inProcess ? Object.class : String.class;
    ValueType<?> valueType = inProcess ? ValueType.of(Object.class) : spec.valueType();
    this.cache = engine.cache(spec.name(), (Class<Object>) keyType,
        (ValueType<Object>) valueType, spec.settings());
    CacheConfig effective = engine.config().forCache(spec.name())
        .withCacheSettings(spec.settings());
    this.nullValues = effective.nullValues();
    this.refreshes = effective.refreshAfter().isPresent()
        || effective.staleWhileRevalidate().isPresent() || effective.staleIfError().isPresent();
    this.failMode = Bindings.failMode(engine.config());
    this.maxKeyBytes = keyTextLimit(effective);
  }

  /**
   * Whether calls of {@code operation} may take the interceptor's hit path through this
   * binding: a plain result, no eviction, no cached nulls, keyed by one bare argument on an
   * in-process engine that is not a context's and was bound for the operation's own engine.
   */
  boolean servesHitPath(Operation operation) {
    CacheSpec spec = operation.cached;
    // (A bulk method's result is a Map or a List, never PLAIN.)
    return spec != null && inProcess && !nullValues && !refreshes && !fromContext
        && operation.evict == null && operation.tags == null
        && operation.singleKey >= 0 && spec.result() == CacheSpec.Result.PLAIN
        && engineName.equals(spec.engine());
  }

  /**
   * The key of a call with these arguments, to look it up: it may share the caller's arrays.
   *
   * @throws IllegalArgumentException if an argument has no canonical form
   */
  Object keyOfCall(Operation operation, @Nullable Object @Nullable [] args) {
    if (operation.singleKey >= 0 && inProcess) {
      Object argument = Objects.requireNonNull(args)[operation.singleKey];
      if (argument != null) {
        return argument;
      }
    }
    return key(operation, operation.keyArguments(args));
  }

  /**
   * The key for these key arguments ({@link Operation#keyArguments}), as {@link #keyOfCall}
   * makes it.
   *
   * @throws IllegalArgumentException if an argument has no canonical form
   */
  Object key(Operation operation, @Nullable Object[] keyArguments) {
    if (inProcess && operation.singleKey >= 0 && keyArguments[0] != null) {
      return keyArguments[0];
    }
    return inProcess && operation.valueEqualKeys ? new CallKey(keyArguments)
        : CacheKeys.limitedTo(CacheKeys.of(keyArguments), maxKeyBytes);
  }

  /**
   * The key of one id of a bulk method's call: the key a method of the same cache taking that id
   * alone makes of it (the id itself on an in-process engine when ids compare by content, else
   * its canonical text).
   *
   * @throws IllegalArgumentException if the id has no canonical form
   */
  Object idKey(Operation operation, @Nullable Object id) {
    if (inProcess && operation.bulkIdsByValue) {
      return id != null ? id : new CallKey(new Object[] {null});
    }
    return CacheKeys.limitedTo(CacheKeys.of(new Object[] {id}), maxKeyBytes);
  }

  /**
   * {@code key} for an entry whose tags have the combined {@code generation}: the text with the
   * generation appended (hashed as a whole when too long), or a {@link TaggedKey}.
   */
  Object tagged(Object key, long generation) {
    return key instanceof String text
        ? CacheKeys.limitedTo(text + "#" + Long.toHexString(generation), maxKeyBytes)
        : new TaggedKey(key, generation);
  }

  /** How long a key text may be in a cache so configured before it is hashed. */
  static long keyTextLimit(CacheConfig cacheConfig) {
    return cacheConfig.maxKeyBytes() - CacheKeys.ENGINE_MARGIN;
  }

  /**
   * {@code key} in the form that may be stored: sharing nothing the caller could change (a bare
   * list argument, say, which the caller may reuse for its next call). Known-immutable keys
   * (strings, boxed primitives, enums, records of such) are returned as they are.
   */
  static Object storable(Object key) {
    return key instanceof String ? key : key instanceof CallKey call ? call.detached()
        : key instanceof TaggedKey tagged
            ? new TaggedKey(storable(tagged.key()), tagged.generation())
        : Objects.requireNonNull(KeyCopies.detach(key));
  }
}
