package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheException;
import io.ucache.EngineUnavailableException;
import io.ucache.ValueCodec;
import io.ucache.ValueType;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.AbstractEngine;
import io.ucache.spi.FolderNames;
import io.ucache.spi.StoredValueFormat;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.ehcache.CachePersistenceException;
import org.ehcache.PersistentCacheManager;
import org.ehcache.Status;
import org.ehcache.config.CacheConfiguration;
import org.ehcache.config.builders.CacheConfigurationBuilder;
import org.ehcache.config.builders.CacheEventListenerConfigurationBuilder;
import org.ehcache.config.builders.CacheManagerBuilder;
import org.ehcache.config.builders.PooledExecutionServiceConfigurationBuilder;
import org.ehcache.config.builders.ResourcePoolsBuilder;
import org.ehcache.config.units.EntryUnit;
import org.ehcache.config.units.MemoryUnit;
import org.ehcache.core.config.store.StoreStatisticsConfiguration;
import org.ehcache.impl.config.store.disk.OffHeapDiskStoreConfiguration;

/**
 * The running {@code ehcache} engine: one Ehcache {@link PersistentCacheManager} over one folder,
 * which it holds exclusively from open to close.
 *
 * <p>Opening, in order: the folder is resolved ({@link FolderNames}), created, checked to be
 * UCache's (or new), locked and checked for an unclean shutdown ({@link EngineFolder}); then Ehcache starts on its {@code ehcache/}
 * subfolder with a thread pool of its own. A failure at any step releases what the earlier ones
 * took. Closing stops Ehcache, which flushes every store and ends every thread it started, marks
 * the folder clean, and releases it.
 */
final class EhcacheEngine extends AbstractEngine {

  static final System.Logger LOG = System.getLogger("io.ucache.ehcache");
  /** The value type of a view that reads any value, such as the one an eviction opens. */
  private static final String ANY_VALUE = Object.class.getName();

  /** Ehcache's threads (disk writes, events) come from this pool, stopped with the manager. */
  static final String POOL = "ucache-ehcache";
  private static final int POOL_THREADS = 2;
  /**
   * Segments of each disk store. Ehcache's default of 16 costs 33 file descriptors per cache;
   * two cost 5, and the heap tier in front takes most of the concurrent reads.
   */
  private static final int DISK_SEGMENTS = 2;
  /** The folder, under base-dir, when the configuration names none. */
  static final String DEFAULT_FOLDER = "default";
  /** Heap-tier entries when {@code max-size} is not set. */
  static final long DEFAULT_HEAP_ENTRIES = 10_000;
  /** Disk-tier bytes per cache when {@code disk-size} is not set. */
  static final long DEFAULT_DISK_BYTES = 64L << 20;
  /** The smallest disk tier Ehcache's segmented store accepts. */
  static final long MIN_DISK_BYTES = 1L << 20;

  private final EngineFolder folder;
  private final PersistentCacheManager manager;
  private final EngineClock clock;
  private final DiskGuard guard;
  private EhcacheEngine(CacheConfig config, EngineFolder folder, PersistentCacheManager manager,
      EngineClock clock, DiskGuard guard) {
    super(EhcacheEngineProvider.NAME, EhcacheEngineProvider.CAPABILITIES, config,
        "ehcache engine of folder " + folder.path(), releaseAction(manager, folder));
    this.guard = guard;
    this.folder = folder;
    this.manager = manager;
    this.clock = clock;
  }

  /**
   * What a leaked engine's guard runs: stop Ehcache (flushing its stores, ending its threads)
   * and release the folder. Static, so that it cannot capture the engine.
   */
  private static Runnable releaseAction(PersistentCacheManager manager, EngineFolder folder) {
    return () -> {
      try {
        manager.close();
      } catch (RuntimeException e) {
        folder.releaseUnclean();
        throw e;
      }
      folder.closeCleanly();
    };
  }

  /**
   * Opens the folder of {@code config} and starts Ehcache on it.
   *
   * @throws CacheConfigException if the folder name is invalid, or the folder is a file or not
   *     writable, is the file-system root or the user's home directory, or is not empty and was
   *     not made by UCache
   * @throws EngineUnavailableException if the folder is in use by another engine, here or in
   *     another process ("folder ... is in use"), or Ehcache cannot start on it
   */
  static EhcacheEngine open(CacheConfig config) {
    return open(config, manager -> { });
  }

  /**
   * {@link #open(CacheConfig)}, running {@code afterStart} once Ehcache has started: a test forces
   * a failure there to see that nothing the open took is left behind.
   */
  static EhcacheEngine open(CacheConfig config, Consumer<PersistentCacheManager> afterStart) {
    Objects.requireNonNull(config, "config");
    Path dir = FolderNames.resolve(config.get(EhcacheSettings.BASE_DIR).orElseThrow(),
        config.get(EhcacheSettings.FOLDER).orElse(DEFAULT_FOLDER));
    EngineClock clock = EngineClock.of(config.ticker());
    EngineFolder folder = EngineFolder.open(dir);
    PersistentCacheManager manager = null;
    try {
      manager = CacheManagerBuilder.newCacheManagerBuilder()
          .with(CacheManagerBuilder.persistence(folder.ehcacheRoot().toFile()))
          .using(clock)
          .using(PooledExecutionServiceConfigurationBuilder
              .newPooledExecutionServiceConfigurationBuilder()
              .defaultPool(POOL, POOL_THREADS, POOL_THREADS)
              .build())
          .build(false);
      manager.init();
      afterStart.accept(manager);
      return new EhcacheEngine(config, folder, manager, clock,
          DiskGuard.of(folder.path()));
    } catch (RuntimeException | Error e) {
      // Ehcache stops the services it started when init fails; after init, its threads and
      // files are ours to stop. Nothing was stored either way.
      if (manager != null && manager.getStatus() == Status.AVAILABLE) {
        try {
          manager.close();
        } catch (RuntimeException closeFailure) {
          e.addSuppressed(closeFailure);
        }
      }
      folder.releaseAfterFailedOpen();
      if (e instanceof Error error) {
        throw error;
      }
      throw new EngineUnavailableException(EhcacheEngineProvider.NAME, "Cannot start Ehcache in "
          + "the ehcache folder " + folder.path() + ": " + message(e), e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>The first time a name is used in a folder, its key type, value type and codec are stored
   * there; opening it later with others fails with {@link CacheConfigException} rather than
   * decoding entries into the wrong type.
   *
   * @throws CacheConfigException also if keys of {@code keyType} cannot be stored on disk, the
   *     codec cannot store {@code valueType}, or the folder holds this cache with other types
   */
  @Override
  protected <K, V> AbstractCache<K, V, ?> createCache(String name, CacheConfig cacheConfig,
      Class<K> keyType, ValueType<V> valueType) {
    return create(name, cacheConfig, keyType, valueType);
  }

  private <K, V> EhcacheCache<K, V> create(String name, CacheConfig cacheConfig, Class<K> keyType,
      ValueType<V> valueType) {
    KeyCodec<K> keys = KeyCodec.forType(name, keyType).limitedTo(cacheConfig.maxKeyBytes());
    ValueCodec<V> values = valueCodec(name, cacheConfig, valueType);
    long askedDiskBytes = diskBytes(cacheConfig);
    CacheMetadata wanted = new CacheMetadata(name, keyType.getName(), valueType.name(),
        cacheConfig.codec(), keys.format(), values.toString(), askedDiskBytes);
    Optional<CacheMetadata> stored = folder.readMetadata(name);
    if (stored.isPresent() && !stored.get().readableAs(wanted)) {
      CacheMetadata was = stored.get();
      boolean sameKeys = was.keyType().equals(wanted.keyType())
          && was.keyFormat().equals(wanted.keyFormat());
      boolean onlyCodec = sameKeys && was.valueType().equals(wanted.valueType());
      if (sameKeys && wanted.valueType().equals(ANY_VALUE)) {
        // A view for any value, as an eviction opens the cache in a process that never read
        // it: evicting needs no value, and every entry's tag keeps this view from decoding one
        // of the stored type. The cache keeps its stored types.
        wanted = was;
      } else if (sameKeys && was.valueType().equals(ANY_VALUE)) {
        // Such a view opened the cache first: the first reader's type replaces it. Entries
        // written through the view are other-type misses for it, replaced as it loads.
        LOG.log(System.Logger.Level.DEBUG, "Cache '" + name + "' in the ehcache folder "
            + folder.path() + " now holds " + wanted.describe() + ", not any value");
      } else if (onlyCodec && was.codec().equals("auto") && wanted.codec().equals("auto")) {
        // Nobody chose a codec: auto picks another one now (Jackson 3 came onto the class path,
        // or left it). Entries are only a cache: start over rather than refuse to start.
        LOG.log(System.Logger.Level.WARNING, "Cache '" + name + "' in the ehcache folder "
            + folder.path() + ": codec=auto now stores " + wanted.valueFormat() + ", not "
            + was.valueFormat() + " (was Jackson 3 added to or removed from the class path?); "
            + "its entries, written the other way, were discarded");
        stored = Optional.empty();
      } else {
        throw new CacheConfigException(onlyCodec ? "codec" : null, "Cache '" + name
            + "' in the ehcache folder " + folder.path() + " holds " + was.describe()
            + ", but was opened for " + wanted.describe() + ". Open it with the stored types "
            + "and codec, use another cache name, or delete the folder to start over");
      }
    }
    if (stored.isEmpty()) {
      // Entries without metadata (a deleted or damaged file) have unknown types: never read them.
      destroyStore(name);
    } else {
      wanted = keepDiskSize(name, stored.get(), wanted);
    }
    if (!stored.equals(Optional.of(wanted))) {
      folder.writeMetadata(wanted);
    }
    StoredValueFormat format = StoredValueFormat.framed(values.id(), keyType, valueType,
        cacheConfig.codecVersion());
    StoreEvents events = new StoreEvents();
    CacheConfiguration<Object, StoredValue> configuration =
        ehcacheConfiguration(cacheConfig, wanted.diskSize(), format, events);
    boolean discarded = folder.discardedCaches().contains(name);
    org.ehcache.Cache<Object, StoredValue> store;
    try {
      store = guarded(name, manager.createCache(name, configuration));
    } catch (CacheException e) {
      throw e;
    } catch (RuntimeException e) {
      if (stored.isEmpty()) {
        throw new EngineUnavailableException(name(), "Cannot create cache '" + name
            + "' in the ehcache folder " + folder.path() + ": " + message(e), e);
      }
      // The folder's checksums missed the damage (a folder closed by an older version keeps
      // none): Ehcache fails on the same files at every open, so its store is discarded.
      LOG.log(System.Logger.Level.WARNING, "Cache '" + name + "' in the ehcache folder "
          + folder.path() + " cannot be opened (" + message(e) + "): discarded its entries and "
          + "started empty");
      destroyStore(name);
      discarded = true;
      try {
        store = guarded(name, manager.createCache(name, configuration));
      } catch (RuntimeException again) {
        again.addSuppressed(e);
        throw new EngineUnavailableException(name(), "Cannot create cache '" + name
            + "' in the ehcache folder " + folder.path() + ": " + message(again), again);
      }
    }
    return new EhcacheCache<>(name, cacheConfig, keyType, valueType, keys, values, format, store,
        clock, events, discarded);
  }

  /**
   * {@code store} behind the engine's disk guard: a full disk or a failed store operation throws
   * {@link EngineUnavailableException}, which the cache template counts and handles as the
   * cache's fail-mode says.
   */
  private org.ehcache.Cache<Object, StoredValue> guarded(String name,
      org.ehcache.Cache<Object, StoredValue> store) {
    return new GuardedStore(name, store, guard);
  }

  /** The disk tier size {@code config} asks for, checked. */
  private static long diskBytes(CacheConfig config) {
    long diskBytes = config.get(EhcacheSettings.DISK_SIZE).orElse(DEFAULT_DISK_BYTES);
    if (diskBytes < MIN_DISK_BYTES) {
      throw new CacheConfigException("disk-size", "Invalid value '" + diskBytes
          + "' for key 'disk-size': the ehcache engine needs at least 1MB per cache");
    }
    return diskBytes;
  }

  /**
   * {@code wanted} with the disk size the stored cache was made with, if one is recorded: Ehcache
   * deletes a store whose file is larger than a new, smaller limit, so a changed
   * {@code disk-size} is not applied to an existing cache; one WARN line says so at each open.
   */
  private CacheMetadata keepDiskSize(String name, CacheMetadata stored, CacheMetadata wanted) {
    long kept = stored.diskSize();
    if (kept < MIN_DISK_BYTES || kept == wanted.diskSize()) {
      return wanted; // not recorded (or damaged): the size asked for is recorded now
    }
    LOG.log(System.Logger.Level.WARNING, "Cache '" + name + "' in the ehcache folder "
        + folder.path() + " was created with disk-size " + kept + " bytes and keeps it; the "
        + "disk-size of " + wanted.diskSize() + " bytes asked for is ignored, as Ehcache would "
        + "delete the cache's entries to change it. Delete the folder to start over at the new "
        + "size");
    return wanted.withDiskSize(kept);
  }

  private CacheConfiguration<Object, StoredValue> ehcacheConfiguration(CacheConfig config,
      long diskBytes, StoredValueFormat format, StoreEvents events) {
    long heapEntries = config.maxSize().isPresent()
        ? Math.max(1, config.maxSize().getAsLong()) : DEFAULT_HEAP_ENTRIES;
    long idleMillis = config.expireAfterAccess().map(EngineClock::millisRoundedUp)
        .orElse(EntryExpiry.NEVER);
    return CacheConfigurationBuilder.newCacheConfigurationBuilder(Object.class,
            StoredValue.class,
            ResourcePoolsBuilder.newResourcePoolsBuilder()
                .heap(heapEntries, EntryUnit.ENTRIES)
                .disk(diskBytes, MemoryUnit.B, true))
        .withKeySerializer(EncodedKey.SERIALIZER)
        .withValueSerializer(StoredValue.serializer(format))
        .withExpiry(new EntryExpiry(clock, idleMillis))
        .withService(new OffHeapDiskStoreConfiguration(POOL, 1, DISK_SEGMENTS))
        // The template counts hits and misses; Ehcache's own per-tier counters (on by default
        // with two tiers) are never read, and cost a hit several atomic updates.
        .withService(new StoreStatisticsConfiguration(false))
        .withService(CacheEventListenerConfigurationBuilder
            .newEventListenerConfiguration(events, StoreEvents.TYPES).unordered().synchronous())
        .build();
  }

  private void destroyStore(String name) {
    try {
      manager.destroyCache(name);
    } catch (CachePersistenceException | RuntimeException e) {
      throw new EngineUnavailableException(name(), "Cannot delete the entries of cache '" + name
          + "' in the ehcache folder " + folder.path() + ", whose types are unknown: "
          + message(e), e);
    }
  }

  /** The disk guard's view: DOWN after a disk fault, DEGRADED on a full disk, else UP. */
  @Override
  protected io.ucache.EngineHealth checkHealth() {
    return guard.health();
  }

  /**
   * Operations the disk guard refused or caught (a full disk, an Ehcache failure); each is an
   * {@code EngineUnavailableException} that the cache's {@code errorCount} counts too.
   */
  long diskFailures() {
    return guard.failures();
  }

  /** The {@link PersistentCacheManager} (or any of its supertypes), or this engine. */
  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    if (type.isInstance(manager)) {
      return type.cast(manager);
    }
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    throw new IllegalArgumentException("The ehcache engine has no " + type.getName() + "; it has "
        + "a " + PersistentCacheManager.class.getName());
  }

  /**
   * Stops Ehcache (which flushes each store to disk and ends its threads), marks the folder
   * closed cleanly and releases its lock.
   *
   * @throws EngineUnavailableException if Ehcache failed to close; the folder is released all
   *     the same, unmarked, so that its next open discards what Ehcache may have left half
   *     written
   */
  @Override
  protected void release() {
    try {
      manager.close();
    } catch (RuntimeException e) {
      folder.releaseUnclean();
      throw new EngineUnavailableException(name(), "Closing the ehcache folder "
          + folder.path() + " failed; its entries will be discarded when it is next opened: "
          + message(e), e);
    }
    if (guard.faulted()) {
      // A page fault may have left the store half written: the next open discards it.
      folder.releaseUnclean();
    } else {
      folder.closeCleanly();
    }
  }

  /** The innermost message, as Ehcache wraps failures in a state transition exception or two. */
  private static String message(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause == e ? String.valueOf(e) : e.getMessage() + " (" + cause + ")";
  }
}
