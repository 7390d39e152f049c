package io.ucache.spi;

/**
 * A cache, as JMX shows it ({@code jmx.enabled=true}), under
 * {@code io.ucache:type=Cache,engine=<engine>,id=<n>,name=<cache>}: its settings and statistics,
 * and two operations, evicting one key given as its canonical text and clearing the cache.
 * Thread-safe.
 */
public interface UCacheCacheMXBean {

  String getName();

  /** The engine's name. */
  String getEngine();

  /** The keys set in the cache's configuration, {@code key=value}, secrets masked. */
  String[] getSettings();

  long getHits();

  long getMisses();

  /** Hits divided by requests; 1.0 without requests. */
  double getHitRate();

  long getLoads();

  long getLoadFailures();

  long getEvictions();

  long getErrors();

  /** Entries held, where the store can tell without a scan (caffeine); -1 elsewhere. */
  long getSize();

  /** Removes every entry. */
  void clear();

  /**
   * Evicts the entry whose key's canonical text is {@code keyText} (what follows the namespace
   * and the cache's name in a Redis key).
   *
   * @return how many entries were evicted (0 or 1, more only for keys of one text in several
   *     forms)
   */
  int evict(String keyText);
}
