package io.ucache.examples.memo;

import io.ucache.ConfigKey;
import java.nio.file.Path;
import java.util.List;

/**
 * The keys the {@code memo} engine declares: how an engine adds configuration. Thread-safety:
 * constants only. Nulls: none.
 */
public final class MemoSettings {
  private MemoSettings() {}

  /** The folder that holds one {@code <cache>.properties} file per cache: required. */
  public static final ConfigKey<Path> STORE_PATH = ConfigKey.ofPath("store.path")
      .describedAs("folder of the memo engine's files, one per cache (required)");

  /** Whether a cache is written to its file on close; per cache; default true. */
  public static final ConfigKey<Boolean> STORE_SNAPSHOT = ConfigKey.ofBoolean("store.snapshot")
      .withDefault(true).perCache()
      .describedAs("whether the memo engine keeps a cache's entries in its file; default: true");

  static final List<ConfigKey<?>> ALL = List.of(STORE_PATH, STORE_SNAPSHOT);
}
