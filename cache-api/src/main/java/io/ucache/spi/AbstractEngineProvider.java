package io.ucache.spi;

import io.ucache.Capability;
import io.ucache.ConfigKey;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The base of an {@link EngineProvider} whose facts are constants: its name, capabilities,
 * priority, configuration keys, and the driver class whose presence makes it available. A
 * subclass passes them to the constructor and implements {@code create}. Stateless and
 * thread-safe, as providers must be; nothing here loads a driver class.
 */
public abstract class AbstractEngineProvider implements EngineProvider {

  private final String name;
  private final Set<Capability> capabilities;
  private final int priority;
  private final List<ConfigKey<?>> configKeys;
  private final String driverArtifact;
  private final String driverClass;

  /**
   * @param driverArtifact the Maven coordinates to name when the driver is missing
   * @param driverClass a class of the driver, looked up (not loaded) for {@link #availability()}
   */
  protected AbstractEngineProvider(String name, Set<Capability> capabilities, int priority,
      List<ConfigKey<?>> configKeys, String driverArtifact, String driverClass) {
    this.name = Objects.requireNonNull(name, "name");
    this.capabilities = Set.copyOf(capabilities);
    this.priority = priority;
    this.configKeys = List.copyOf(configKeys);
    this.driverArtifact = Objects.requireNonNull(driverArtifact, "driverArtifact");
    this.driverClass = Objects.requireNonNull(driverClass, "driverClass");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public final int priority() {
    return priority;
  }

  @Override
  public final List<ConfigKey<?>> configKeys() {
    return configKeys;
  }

  @Override
  public Availability availability() {
    return Availability.ofClasses(getClass().getClassLoader(), driverArtifact, driverClass);
  }
}
