package io.ucache.spi;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.ConfigKey;
import java.util.List;
import java.util.Set;

/**
 * The one service-provider interface: a factory for one kind of engine, found with
 * {@link java.util.ServiceLoader} through {@code META-INF/services/io.ucache.spi.EngineProvider}.
 *
 * <p>Implementations are stateless and thread-safe, with a public no-argument constructor that
 * does no I/O and loads no driver class: discovery instantiates every provider on the class path,
 * including those whose driver is missing, and asks {@link #availability()}.
 */
public interface EngineProvider {

  /**
   * The engine's name in configuration: lower case letters, digits and dashes, unique on the
   * class path ({@code caffeine}, {@code ehcache}, {@code redis}).
   */
  String name();

  /** What every engine this provider creates can honour. */
  Set<Capability> capabilities();

  /**
   * Preference when no engine is named: among available engines with every required capability,
   * the highest priority wins. The embedded in-memory default uses 100; engines that need a
   * server or a disk should stay below it.
   */
  int priority();

  /** Whether this engine can be created here (its driver is on the class path, and so on). */
  Availability availability();

  /**
   * The configuration keys this engine adds to the generic ones ({@code redis.url},
   * {@code folder}...), declared with {@link ConfigKey}'s factories. Every source (the builder,
   * {@code UCACHE_*}, {@code ucache.*}, Spring, the CLI) accepts them, checked against these
   * declarations before any engine starts; the engine reads them with
   * {@link CacheConfig#get(ConfigKey)}. Two engines may declare the same name (both parse every
   * value given for it). Default: none. Called often: return constants, and load no driver class.
   */
  default List<ConfigKey<?>> configKeys() {
    return List.of();
  }

  /**
   * Starts an engine. The caller owns it and must close it. A failure releases whatever was
   * already acquired before it is thrown.
   *
   * @throws io.ucache.CacheConfigException if {@code config} is invalid for this engine
   * @throws io.ucache.EngineUnavailableException if the engine cannot start (server down)
   */
  CacheEngine create(CacheConfig config);
}
