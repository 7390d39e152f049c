package io.ucache.context;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.CacheException;
import io.ucache.Capability;
import io.ucache.ConfigKey;
import io.ucache.EngineUnavailableException;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Finds the engines installed in a class loader and creates them. An engine is installed exactly
 * when its jar, which registers an {@link EngineProvider} in
 * {@code META-INF/services/io.ucache.spi.EngineProvider}, is on the class path.
 *
 * <p>{@link #create(CacheConfig)} is the manual form of engine creation: the caller owns the
 * engine and must close it. {@link EngineContext} and {@link CacheContext} close it for you.
 *
 * <p><b>Thread-safety:</b> thread-safe. Discovery runs once per manager, on first use, and its
 * result is kept. {@link #forClassLoader} hands out one manager per class loader while it is in
 * use, holding neither weakly-reachable manager nor loader, so a web app's loader can be
 * collected; hold on to the manager you use.
 * <b>Nulls:</b> no method accepts or returns {@code null}.
 */
public final class EngineManager {

  private static final System.Logger LOG = System.getLogger(EngineManager.class.getName());

  /** First-party engines, only to tell users which artifact to add. */
  private static final Map<String, String> KNOWN_ARTIFACTS = Map.of(
      "caffeine", "io.ucache:cache-engine-caffeine",
      "ehcache", "io.ucache:cache-engine-ehcache",
      "redis", "io.ucache:cache-engine-redis");

  /** The embedded default, used when nothing is named or required. */
  private static final String FALLBACK = "caffeine";

  /**
   * Managers by class loader. The values are weak too: a manager holds its providers, whose
   * classes hold the loader, so a strong value would keep the key alive forever.
   */
  private static final Map<ClassLoader, WeakReference<EngineManager>> BY_LOADER =
      new WeakHashMap<>();

  private static final @Nullable ClassLoader OWN_LOADER = EngineManager.class.getClassLoader();
  private static final EngineManager OWN = new EngineManager(OWN_LOADER != null ? OWN_LOADER
      : ClassLoader.getSystemClassLoader(), null);

  private final @Nullable ClassLoader loader;
  private final @Nullable List<EngineProvider> given;
  private volatile @Nullable Discovery discovery;

  private EngineManager(@Nullable ClassLoader loader, @Nullable List<EngineProvider> given) {
    this.loader = loader;
    this.given = given;
  }

  /**
   * The manager for the thread's context class loader, or this library's loader when there is
   * none.
   */
  public static EngineManager getDefault() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return forClassLoader(loader != null ? loader : EngineManager.class.getClassLoader());
  }

  /**
   * The manager that discovers engines through {@code loader}: the same one for as long as
   * anything uses it; a new one, discovering again, after it and the loader were collected.
   */
  public static EngineManager forClassLoader(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    if (loader == OWN_LOADER) {
      return OWN; // this library's own loader lives as long as the library: no leak to fear
    }
    synchronized (BY_LOADER) {
      WeakReference<EngineManager> ref = BY_LOADER.get(loader);
      EngineManager manager = ref == null ? null : ref.get();
      if (manager == null) {
        manager = new EngineManager(loader, null);
        BY_LOADER.put(loader, new WeakReference<>(manager));
      }
      return manager;
    }
  }

  /**
   * A manager over exactly {@code providers}, without discovery: for tests and for embedding
   * an engine that is not on the class path.
   */
  public static EngineManager of(EngineProvider... providers) {
    return new EngineManager(null, List.of(providers));
  }

  /** Every engine found, available or not, by descending priority then name. */
  public List<EngineInfo> engines() {
    return discovery().infos;
  }

  /** The engine called {@code name}, if one is installed. */
  public Optional<EngineInfo> engine(String name) {
    Objects.requireNonNull(name, "name");
    return engines().stream().filter(info -> info.name().equals(name)).findFirst();
  }

  /**
   * The configuration keys each installed engine declares ({@link EngineProvider#configKeys()}),
   * by engine name in discovery order: what {@link #check(CacheConfig)} accepts beyond the
   * generic keys ({@link CacheConfig#genericKeys()}).
   */
  public Map<String, List<ConfigKey<?>>> configKeys() {
    return discovery().keys;
  }

  /**
   * A configuration builder that checks the installed engines' keys as they are set
   * ({@link CacheConfig.Builder#declare}): an unknown key or bad value fails at the setter that
   * gave it.
   */
  public CacheConfig.Builder configBuilder() {
    return CacheConfig.builder().declare(configKeys());
  }

  /**
   * {@code config} with the values of engines' keys checked against the installed engines'
   * declarations ({@link CacheConfig#checkedAgainst}); {@link #create(CacheConfig)} does it
   * before starting an engine.
   *
   * @throws CacheConfigException naming a key no installed engine declares, or a value one
   *     refuses
   */
  public CacheConfig check(CacheConfig config) {
    return Objects.requireNonNull(config, "config").checkedAgainst(configKeys());
  }

  /**
   * The engine {@link #create(CacheConfig)} would start for {@code config}, without starting it:
   * the one named by {@code engine}; else the highest-priority available engine with every
   * capability in {@code require}; else caffeine.
   *
   * @throws EngineUnavailableException if the named engine is not installed or not available
   * @throws CacheConfigException if no installed engine has the required capabilities
   */
  public EngineInfo select(CacheConfig config) {
    Discovery found = discovery();
    Set<Capability> required = config.require();
    Optional<String> named = config.engine();
    if (named.isPresent()) {
      EngineInfo info = found.byName.get(named.get());
      if (info == null) {
        throw new EngineUnavailableException(named.get(), "Unknown engine '" + named.get() + "'. "
            + installed(found) + ". " + howToAdd(named.get()));
      }
      if (!info.available()) {
        throw new EngineUnavailableException(info.name(),
            "Engine '" + info.name() + "' is not available: " + info.reason());
      }
      Set<Capability> missing = EnumSet.allOf(Capability.class);
      missing.retainAll(required);
      missing.removeAll(info.capabilities());
      if (!missing.isEmpty()) {
        throw new CacheConfigException("require", "Engine '" + info.name()
            + "' cannot honour the required " + names(missing) + "; it has "
            + names(info.capabilities()) + ". " + enginesWith(found, required));
      }
      return info;
    }
    List<EngineInfo> candidates = found.infos.stream()
        .filter(info -> info.available() && info.has(required))
        .toList();
    if (required.isEmpty()) {
      EngineInfo fallback = found.byName.get(FALLBACK);
      if (fallback != null && fallback.available()
          && candidates.stream().noneMatch(c -> c.priority() > fallback.priority())) {
        return fallback;
      }
    }
    if (candidates.isEmpty()) {
      if (required.isEmpty()) {
        throw new EngineUnavailableException(FALLBACK, "No engine is available. "
            + installed(found) + ". " + howToAdd(FALLBACK));
      }
      throw new CacheConfigException("require", "No available engine has the required "
          + names(required) + ". " + installed(found) + ". " + enginesWith(found, required));
    }
    return candidates.get(0);
  }

  /**
   * Starts the engine {@link #select(CacheConfig)} picks for {@code config}, after
   * {@link #check(CacheConfig) checking} the values of engines' keys (a manager made with
   * {@link #of} leaves that to its providers' engines). The caller owns it: close it, or use
   * {@link EngineContext} which does. An engine still open when the JVM shuts down normally
   * (SIGTERM, Ctrl-C, {@code System.exit}) is closed by a shutdown hook, unless the system
   * property {@code io.ucache.shutdownHook} is {@code false}; the hook holds engines weakly and
   * forgets closed ones.
   *
   * @throws EngineUnavailableException if the engine is unknown, unavailable or fails to start
   * @throws CacheConfigException if the configuration is invalid for it
   */
  public CacheEngine create(CacheConfig config) {
    Objects.requireNonNull(config, "config");
    EngineInfo info = select(config);
    if (given == null) {
      // A manager over given providers (of) passes engines' keys on unchecked: its providers may
      // wrap installed engines, whose own manager checks them, without declaring their keys.
      config = check(config);
    }
    EngineProvider provider = discovery().providers.get(info.name());
    CacheEngine engine;
    try {
      engine = Objects.requireNonNull(provider.create(config),
          () -> provider.getClass().getName() + ".create returned null");
    } catch (CacheException e) {
      throw e;
    } catch (RuntimeException | LinkageError e) {
      // A LinkageError is a driver jar missing or of the wrong version: unavailable, not a crash.
      throw new EngineUnavailableException(info.name(), CacheConfig.maskSecrets(
          "Engine '" + info.name() + "' failed to start: " + e), e);
    }
    try {
      ShutdownHook.register(engine);
    } catch (RuntimeException | Error e) {
      // The caller never gets the engine, so it could never close it.
      closeAfterFailure(engine, e);
      throw e;
    }
    return engine;
  }

  /** Closes {@code engine}, which its caller will never get, adding a failure to {@code e}. */
  static void closeAfterFailure(CacheEngine engine, Throwable e) {
    try {
      engine.close();
    } catch (RuntimeException | Error closeFailure) {
      e.addSuppressed(closeFailure);
    }
  }

  /** Starts an engine for {@link CacheConfig#fromEnvironment()}. The caller must close it. */
  public CacheEngine create() {
    return create(CacheConfig.fromEnvironment());
  }

  @Override
  public String toString() {
    return "EngineManager" + engines().stream().map(EngineInfo::name).toList();
  }

  private Discovery discovery() {
    Discovery found = discovery;
    if (found == null) {
      synchronized (this) {
        found = discovery;
        if (found == null) {
          found = new Discovery(given != null ? given : load(Objects.requireNonNull(loader)));
          discovery = found;
        }
      }
    }
    return found;
  }

  private static List<EngineProvider> load(ClassLoader loader) {
    List<EngineProvider> providers = new ArrayList<>();
    Iterator<EngineProvider> it = ServiceLoader.load(EngineProvider.class, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        providers.add(it.next());
      } catch (ServiceConfigurationError e) {
        // One broken jar must not hide the engines that work; say which one broke, once.
        LOG.log(System.Logger.Level.WARNING, "Skipping an engine provider that failed to load: "
            + e.getMessage(), e);
      }
    }
    return providers;
  }

  private static String installed(Discovery found) {
    if (found.infos.isEmpty()) {
      return "No engines are installed";
    }
    return "Installed engines: " + found.infos.stream()
        .map(info -> info.name() + (info.available() ? "" : " (unavailable: " + info.reason() + ")"))
        .collect(Collectors.joining(", "));
  }

  private static String howToAdd(String name) {
    String artifact = KNOWN_ARTIFACTS.get(name);
    if (artifact != null) {
      return "Add " + artifact + " to the class path to install it.";
    }
    return "An engine is installed by putting its jar on the class path; UCache's own are "
        + KNOWN_ARTIFACTS.entrySet().stream().sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + " (" + e.getValue() + ")").collect(Collectors.joining(", "))
        + ".";
  }

  private static String enginesWith(Discovery found, Set<Capability> required) {
    List<String> names = found.infos.stream().filter(i -> i.has(required) && i.available())
        .map(EngineInfo::name).toList();
    return names.isEmpty() ? "No installed engine has them." : "Engines that do: " + names + ".";
  }

  private static String names(Set<Capability> capabilities) {
    return capabilities.isEmpty() ? "no capabilities" : "capabilities " + capabilities.stream()
        .sorted().map(Capability::configName).collect(Collectors.joining(", "));
  }

  /** The result of one discovery: engines by name, ambiguous names made unavailable. */
  private static final class Discovery {
    final Map<String, EngineProvider> providers = new LinkedHashMap<>();
    final Map<String, EngineInfo> byName = new LinkedHashMap<>();
    final List<EngineInfo> infos;
    final Map<String, List<ConfigKey<?>>> keys;

    Discovery(List<EngineProvider> found) {
      Map<String, List<EngineProvider>> grouped = new LinkedHashMap<>();
      for (EngineProvider provider : found) {
        grouped.computeIfAbsent(provider.name(), n -> new ArrayList<>()).add(provider);
      }
      grouped.forEach((name, sameName) -> {
        EngineProvider first = sameName.get(0);
        EngineInfo info;
        if (sameName.size() > 1) {
          // Ambiguity is an error, never a silent pick.
          info = new EngineInfo(name, false, sameName.size() + " providers are named '" + name
              + "': " + sameName.stream().map(p -> p.getClass().getName()).toList()
              + "; remove all but one from the class path",
              first.capabilities(), first.priority(), first.getClass().getName());
        } else {
          Availability availability = availability(first);
          info = new EngineInfo(name, availability.available(), availability.reason(),
              first.capabilities(), first.priority(), first.getClass().getName());
          providers.put(name, first);
        }
        byName.put(name, info);
      });
      List<EngineInfo> sorted = new ArrayList<>(byName.values());
      sorted.sort(Comparator.comparingInt(EngineInfo::priority).reversed()
          .thenComparing(EngineInfo::name));
      this.infos = List.copyOf(sorted);
      Map<String, List<ConfigKey<?>>> declared = new LinkedHashMap<>();
      providers.forEach((name, provider) -> declared.put(name, keys(provider)));
      this.keys = java.util.Collections.unmodifiableMap(declared);
    }

    /** A provider that fails to declare its keys declares none: its engine's keys are refused. */
    private static List<ConfigKey<?>> keys(EngineProvider provider) {
      try {
        return List.copyOf(provider.configKeys());
      } catch (RuntimeException | LinkageError e) {
        LOG.log(System.Logger.Level.WARNING, "Engine '" + provider.name()
            + "' failed to declare its configuration keys: " + e, e);
        return List.of();
      }
    }

    private static Availability availability(EngineProvider provider) {
      try {
        return provider.availability();
      } catch (RuntimeException | LinkageError e) {
        return Availability.no("availability check failed: " + e);
      }
    }
  }
}
