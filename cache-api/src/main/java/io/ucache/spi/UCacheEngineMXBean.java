package io.ucache.spi;

/**
 * An engine, as JMX shows it ({@code jmx.enabled=true}), under
 * {@code io.ucache:type=Engine,name=<engine>,id=<n>}: what it is, its configuration (secrets
 * masked), its health, and its caches (each an {@link UCacheCacheMXBean}). Read by the
 * {@code ucache app} command and by any JMX console. Thread-safe.
 */
public interface UCacheEngineMXBean {

  /** The engine's name ({@code caffeine}, {@code redis}...). */
  String getName();

  /** Its capabilities, as configuration names. */
  String[] getCapabilities();

  /** The keys set in its configuration, {@code key=value}, secrets masked. */
  String[] getConfiguration();

  /** {@code UP}, {@code DEGRADED} or {@code DOWN}. */
  String getHealth();

  /** Why it is degraded or down; empty when up. */
  String getHealthReason();

  /** Its health's details ({@code key=value}): round trip, breaker state, folder... */
  String[] getHealthDetails();

  /** The names of its open caches. */
  String[] getCacheNames();
}
