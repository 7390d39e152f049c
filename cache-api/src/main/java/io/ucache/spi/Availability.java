package io.ucache.spi;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Whether an engine can be created in this JVM, and if not, why: {@code "class
 * org.ehcache.CacheManager not found: add org.ehcache:ehcache"}. Immutable.
 *
 * @param available whether {@link EngineProvider#create} can be called
 * @param reason why it cannot, or {@code null} when available
 */
public record Availability(boolean available, @Nullable String reason) {

  private static final Availability AVAILABLE = new Availability(true, null);

  public Availability {
    if (available == (reason != null)) {
      throw new IllegalArgumentException("a reason is given exactly when unavailable");
    }
  }

  /** Available. */
  public static Availability yes() {
    return AVAILABLE;
  }

  /** Unavailable, because of {@code reason}. */
  public static Availability no(String reason) {
    return new Availability(false, Objects.requireNonNull(reason, "reason"));
  }

  /**
   * Available when every class in {@code classNames} loads through {@code loader}; otherwise
   * unavailable, naming the first missing class and the artifact that provides it.
   */
  public static Availability ofClasses(ClassLoader loader, String artifact, String... classNames) {
    Objects.requireNonNull(loader, "loader");
    Objects.requireNonNull(artifact, "artifact");
    for (String className : classNames) {
      try {
        Class.forName(className, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        return no("class " + className + " not found: add " + artifact);
      }
    }
    return AVAILABLE;
  }
}
