package io.ucache.context;

import io.ucache.Capability;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What discovery found about one engine: its name, whether it can be created here (and why not),
 * what it can honour, and its default-selection priority. Immutable.
 *
 * @param name the engine's configuration name
 * @param available whether it can be created in this JVM
 * @param reason why it cannot, or {@code null} when available
 * @param capabilities what it can honour
 * @param priority preference when no engine is named; higher wins
 * @param provider the provider's class name, to trace duplicates
 */
public record EngineInfo(
    String name,
    boolean available,
    @Nullable String reason,
    Set<Capability> capabilities,
    int priority,
    String provider) {

  public EngineInfo {
    java.util.Objects.requireNonNull(name, "name");
    java.util.Objects.requireNonNull(provider, "provider");
    capabilities = Set.copyOf(capabilities);
  }

  /** Whether this engine has every capability in {@code required}. */
  public boolean has(Set<Capability> required) {
    return capabilities.containsAll(required);
  }
}
