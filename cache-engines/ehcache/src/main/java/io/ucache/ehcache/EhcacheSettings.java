package io.ucache.ehcache;

import io.ucache.ConfigKey;
import java.nio.file.Path;
import java.util.List;

/**
 * The configuration keys the {@code ehcache} engine adds to the generic ones, declared by
 * {@link EhcacheEngineProvider#configKeys()}. Set them from any source ({@code folder} in a map,
 * {@code UCACHE_FOLDER}, {@code ucache.folder}, Spring, {@code --config}) or typed:
 * {@code CacheConfig.builder().set(EhcacheSettings.FOLDER, "orders")}.
 *
 * <p><b>Thread-safety:</b> constants only. <b>Nulls:</b> none.
 */
public final class EhcacheSettings {
  private EhcacheSettings() {}

  /** The folder, a name under {@link #BASE_DIR} or an absolute path; default {@code default}. */
  public static final ConfigKey<String> FOLDER = ConfigKey.ofString("folder")
      .validate(name -> !name.isBlank(), "a folder name under base-dir")
      .describedAs("folder under base-dir (or an absolute path); default: default");

  /** Where the folders are; default {@code ~/.cache/ucache}. */
  public static final ConfigKey<Path> BASE_DIR = ConfigKey.ofPath("base-dir")
      .withDefault(Path.of(System.getProperty("user.home"), ".cache", "ucache"))
      .describedAs("where disk engines keep their folders; default: ~/.cache/ucache");

  /** Bytes of disk tier per cache; default 64MB. */
  public static final ConfigKey<Long> DISK_SIZE = ConfigKey.ofSize("disk-size").perCache()
      .describedAs("bytes of disk per cache: 512MB, 2GB, 1048576; default: 64MB");

  /** Every key, in documentation order. */
  static final List<ConfigKey<?>> ALL = List.of(FOLDER, BASE_DIR, DISK_SIZE);
}
