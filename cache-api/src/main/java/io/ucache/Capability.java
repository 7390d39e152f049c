package io.ucache;

import java.util.Locale;

/**
 * What an engine can honour. A configuration lists the capabilities it needs under the key
 * {@code require}; asking an engine for one it lacks fails with {@link CacheConfigException}
 * naming the missing capability. In configuration text each is written in lower case with dashes:
 * {@code in-process}, {@code persistent}, {@code shared}, {@code distributed},
 * {@code per-entry-ttl}, {@code native-async}, {@code bulk}.
 */
public enum Capability {
  /** Entries live in this JVM's heap; a hit costs no I/O. */
  IN_PROCESS,
  /** Entries survive a restart of the process. */
  PERSISTENT,
  /** Entries are visible to other processes. */
  SHARED,
  /** Entries are spread over several machines. */
  DISTRIBUTED,
  /** {@link Cache#put(Object, Object, java.time.Duration)} sets a lifetime for one entry. */
  PER_ENTRY_TTL,
  /** {@link Cache#async()} does not block a thread per call. */
  NATIVE_ASYNC,
  /** Bulk operations take one round trip rather than one per key. */
  BULK;

  /** The name used in configuration text, such as {@code per-entry-ttl}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * Parses a configuration name such as {@code per-entry-ttl} (case and {@code _}/{@code -} are
   * not significant).
   *
   * @throws IllegalArgumentException if no capability has that name
   */
  public static Capability fromConfigName(String text) {
    String normal = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (Capability capability : values()) {
      if (capability.name().equals(normal)) {
        return capability;
      }
    }
    throw new IllegalArgumentException("unknown capability '" + text + "'");
  }
}
