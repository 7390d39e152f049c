package io.ucache;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * The values of keys that are not generic: engines' keys ({@code redis.url}, {@code store.path}),
 * engine-wide and per cache. {@code cache-api} knows no engine, so a value is kept as the text the
 * user gave until the installed engines' declarations check it ({@link #checked}); an engine then
 * parses it with its own {@link ConfigKey}. Values are found by the environment form of their
 * name ({@code STORE_PATH}), so that {@code UCACHE_STORE_PATH} and {@code ucache.store.path}
 * replace each other as every other key's sources do.
 *
 * <p>Mutable while a builder fills it; a {@link CacheConfig} holds a copy that nothing changes.
 * Not thread-safe on its own.
 */
final class EngineSettings {

  private static final System.Logger LOG = System.getLogger(CacheConfig.class.getName());

  /**
   * One value. {@code name} is null for a value from an environment variable that no declaration
   * has matched yet; {@code key} is the declaration that checked it, null until one did.
   */
  static final class Setting {
    final @Nullable String name;
    final String text;
    final String shownAs;
    final @Nullable ConfigKey<?> key;
    final boolean secret;

    Setting(@Nullable String name, String text, String shownAs, @Nullable ConfigKey<?> key,
        boolean secret) {
      this.name = name;
      this.text = text;
      this.shownAs = shownAs;
      this.key = key;
      this.secret = secret;
    }

    /** Unchecked values may be secrets: only a declaration can say they are not. */
    String display() {
      return key == null || secret ? Secrets.MASK : Secrets.maskUrl(text);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Setting other && Objects.equals(name, other.name)
          && text.equals(other.text);
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, text);
    }
  }

  /** Engine-wide values, by environment form of the name. */
  final Map<String, Setting> engineWide = new LinkedHashMap<>();
  /** Per-cache values whose cache is known: cache name, then environment form of the key. */
  final Map<String, Map<String, Setting>> perCache = new TreeMap<>();
  /**
   * Per-cache values given as text ({@code caches.a.b.store.path}) whose split into cache name and
   * key needs the declarations: by environment form of what follows {@code caches.}; the
   * setting's name is that text, or null when it came from an environment variable.
   */
  final Map<String, Setting> unresolved = new LinkedHashMap<>();

  EngineSettings copy() {
    EngineSettings copy = new EngineSettings();
    copy.engineWide.putAll(engineWide);
    perCache.forEach((cache, map) -> copy.perCache.put(cache, new LinkedHashMap<>(map)));
    copy.unresolved.putAll(unresolved);
    return copy;
  }

  boolean isEmpty() {
    return engineWide.isEmpty() && perCache.isEmpty() && unresolved.isEmpty();
  }

  static void put(Map<String, Setting> map, Setting setting, String form) {
    map.remove(form); // a later source's value comes last, as if set first
    map.put(form, setting);
  }

  /** The value {@code key} reads: its own, else none. */
  @Nullable Setting find(ConfigKey<?> key) {
    Setting setting = engineWide.get(key.environmentSuffix());
    if (setting == null || (setting.name != null && !setting.name.equals(key.name))) {
      return null;
    }
    return setting;
  }

  /**
   * The values for the cache called {@code cache} ({@code caches.<cache>.*}), as engine-wide
   * values of a copy of this.
   */
  EngineSettings forCache(String cache) {
    EngineSettings out = new EngineSettings();
    out.engineWide.putAll(engineWide);
    // Set under the cache's environment form first (UCACHE_CACHES_PRIME_COUNTS_...), then under
    // its exact name, which wins.
    String lowerForm = ConfigKey.environmentForm(cache).toLowerCase(Locale.ROOT);
    Map<String, Setting> byForm = lowerForm.equals(cache) ? null : perCache.get(lowerForm);
    if (byForm != null) {
      byForm.forEach((form, setting) -> put(out.engineWide, setting, form));
    }
    Map<String, Setting> own = perCache.get(cache);
    if (own != null) {
      own.forEach((form, setting) -> put(out.engineWide, setting, form));
    }
    String textPrefix = cache + ".";
    String environmentPrefix = ConfigKey.environmentForm(cache) + "_";
    unresolved.forEach((form, setting) -> {
      if (setting.name != null && setting.name.startsWith(textPrefix)) {
        String name = setting.name.substring(textPrefix.length());
        put(out.engineWide, new Setting(name, setting.text, setting.shownAs, setting.key,
            setting.secret), ConfigKey.environmentForm(name));
      } else if (setting.name == null && form.startsWith(environmentPrefix)) {
        put(out.engineWide, setting, form.substring(environmentPrefix.length()));
      }
    });
    return out;
  }

  /** Every value, as {@code key} (with {@code caches.<name>.} for one cache) and shown text. */
  void describe(BiConsumer<String, String> out) {
    engineWide.values().forEach(s -> out.accept(s.name != null ? s.name : s.shownAs, s.display()));
    perCache.forEach((cache, map) -> map.values().forEach(s ->
        out.accept("caches." + cache + "." + (s.name != null ? s.name : s.shownAs), s.display())));
    unresolved.values().forEach(s ->
        out.accept(s.name != null ? "caches." + s.name : s.shownAs, s.display()));
  }

  // --- checking against declarations --------------------------------------------------------

  /**
   * A copy in which every value is matched to the declarations of the installed engines
   * ({@code declared}: engine name, then its keys), parsed and validated by each of them.
   *
   * @throws CacheConfigException naming the first key that no engine declares (with close
   *     matches), or whose value a declaration refuses
   */
  EngineSettings checked(Map<String, ? extends Collection<? extends ConfigKey<?>>> declared) {
    Map<String, List<ConfigKey<?>>> byForm = new LinkedHashMap<>();
    declared.values().forEach(keys -> keys.forEach(key -> byForm
        .computeIfAbsent(key.environmentSuffix(), f -> new java.util.ArrayList<>()).add(key)));
    EngineSettings out = new EngineSettings();
    engineWide.forEach((form, setting) -> {
      List<ConfigKey<?>> keys = matching(byForm, form, setting.name);
      if (keys.isEmpty()) {
        CacheConfigException unknown = unknown(setting.name != null ? setting.name
            : setting.shownAs, setting.shownAs, setting.name != null ? setting.name : form,
            declared);
        if (setting.name != null) {
          throw unknown;
        }
        skipVariable(unknown);
        return;
      }
      put(out.engineWide, bind(setting, keys, setting.shownAs), form);
    });
    perCache.forEach((cache, map) -> map.forEach((form, setting) -> {
      List<ConfigKey<?>> keys = matching(byForm, form, setting.name);
      if (keys.isEmpty()) {
        throw unknown("caches." + cache + "." + (setting.name != null ? setting.name : form),
            setting.shownAs, setting.name != null ? setting.name : form, declared);
      }
      put(out.perCache.computeIfAbsent(cache, c -> new LinkedHashMap<>()),
          bindPerCache(setting, keys), form);
    }));
    unresolved.forEach((form, setting) -> resolve(byForm, form, setting, declared, out));
    return out;
  }

  private static void resolve(Map<String, List<ConfigKey<?>>> byForm, String form,
      Setting setting, Map<String, ? extends Collection<? extends ConfigKey<?>>> declared,
      EngineSettings out) {
    // The key is the longest declared key the text ends with; the cache name what comes before.
    String rest = setting.name != null ? setting.name : form;
    String separator = setting.name != null ? "." : "_";
    String best = null;
    for (List<ConfigKey<?>> keys : byForm.values()) {
      String candidate = setting.name != null ? keys.get(0).name : keys.get(0).environmentSuffix();
      if (rest.endsWith(separator + candidate) && rest.length() > candidate.length() + 1
          && (best == null || candidate.length() > best.length())) {
        best = candidate;
      }
    }
    if (best == null) {
      String last = rest.substring(rest.lastIndexOf(separator) + 1);
      CacheConfigException unknown = unknown("caches." + rest, setting.shownAs,
          last.toLowerCase(Locale.ROOT), declared);
      if (setting.name != null) {
        throw unknown;
      }
      skipVariable(unknown);
      return;
    }
    String cache = rest.substring(0, rest.length() - best.length() - 1);
    if (setting.name == null) {
      cache = cache.toLowerCase(Locale.ROOT);
    }
    List<ConfigKey<?>> keys = byForm.get(ConfigKey.environmentForm(best));
    String name = keys.get(0).name;
    Setting named = new Setting(name, setting.text, setting.shownAs, null, false);
    put(out.perCache.computeIfAbsent(cache, c -> new LinkedHashMap<>()),
        bindPerCache(named, keys), ConfigKey.environmentForm(name));
  }

  private static List<ConfigKey<?>> matching(Map<String, List<ConfigKey<?>>> byForm, String form,
      @Nullable String name) {
    List<ConfigKey<?>> keys = byForm.getOrDefault(form, List.of());
    // Text sources name the key exactly; only an environment variable matches by its form.
    return name == null ? keys : keys.stream().filter(k -> k.name.equals(name)).toList();
  }

  private static Setting bindPerCache(Setting setting, List<ConfigKey<?>> keys) {
    for (ConfigKey<?> key : keys) {
      if (!key.perCache) {
        throw new CacheConfigException(setting.shownAs, "Key '" + key.name
            + "' cannot be set for one cache ('" + setting.shownAs + "')");
      }
    }
    return bind(setting, keys, setting.shownAs);
  }

  private static Setting bind(Setting setting, List<ConfigKey<?>> keys, String shownAs) {
    boolean secret = false;
    for (ConfigKey<?> key : keys) {
      key.parse(shownAs, setting.text);
      secret |= key.secret;
    }
    return new Setting(keys.get(0).name, setting.text, shownAs, keys.get(0), secret);
  }

  /**
   * An environment variable that names no key: skipped, with a warning. The environment is
   * inherited by every program a process starts, and may be set for several services at once
   * ({@code UCACHE_REDIS_URL} for a service without the redis engine): it must not stop one.
   * Explicit sources (the builder, {@code ucache.*} properties, {@code --config}) fail instead.
   */
  private static void skipVariable(CacheConfigException unknown) {
    LOG.log(System.Logger.Level.WARNING, unknown.getMessage() + "; the environment variable is "
        + "ignored");
  }

  private static CacheConfigException unknown(String key, String shownAs, String name,
      Map<String, ? extends Collection<? extends ConfigKey<?>>> declared) {
    List<String> names = new java.util.ArrayList<>(GenericKeys.ALL.keySet());
    StringBuilder engines = new StringBuilder();
    declared.forEach((engine, keys) -> {
      keys.forEach(k -> names.add(k.name));
      if (!keys.isEmpty()) {
        engines.append("; ").append(engine).append(": ").append(String.join(", ",
            keys.stream().map(k -> k.name).toList()));
      }
    });
    String suggestion = GenericKeys.closest(name.replace('_', '-'), names);
    if (suggestion == null) {
      suggestion = GenericKeys.closest(name.replace('_', '.'), names);
    }
    return new CacheConfigException(shownAs, "Unknown configuration key '"
        + (shownAs.equals(key) ? key : shownAs) + "'"
        + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
        + ": no installed engine declares it (installed: " + String.join(", ", declared.keySet())
        + "); known keys: " + String.join(", ", GenericKeys.ALL.keySet()) + engines
        + ", and caches.<name>.<key>");
  }
}
