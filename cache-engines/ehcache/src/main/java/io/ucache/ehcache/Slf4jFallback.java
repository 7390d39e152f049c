package io.ucache.ehcache;

import io.ucache.ehcache.internal.JulServiceProvider;
import java.util.ServiceLoader;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * Gives Ehcache's SLF4J logs a destination in an application that has no SLF4J provider, before
 * the first Ehcache class asks SLF4J for a logger. Without one, SLF4J prints three "No SLF4J
 * providers were found" lines and drops every log, Ehcache's warnings included. With one (Logback
 * in a Spring Boot application, {@code slf4j-jdk14}, any other) or with {@code slf4j.provider}
 * set, it does nothing: the application's choice stands.
 */
final class Slf4jFallback {

  /** SLF4J's own keys: the provider to use without a service lookup, and its chattiness. */
  static final String PROVIDER_PROPERTY = "slf4j.provider";
  static final String VERBOSITY_PROPERTY = "slf4j.internal.verbosity";

  private Slf4jFallback() {}

  /**
   * Names {@link JulServiceProvider} in {@code slf4j.provider} when SLF4J would find no provider.
   * SLF4J reads the property once, when it first binds; if it has already bound (to its
   * no-operation fallback), this changes nothing.
   */
  static synchronized void installIfNoProvider() {
    if (System.getProperty(PROVIDER_PROPERTY) != null) {
      return;
    }
    // The lookup SLF4J itself makes; its providers are listed without being instantiated.
    ClassLoader loader = LoggerFactory.class.getClassLoader();
    if (ServiceLoader.load(SLF4JServiceProvider.class, loader).stream().findAny().isPresent()) {
      return;
    }
    System.setProperty(PROVIDER_PROPERTY, JulServiceProvider.class.getName());
    if (System.getProperty(VERBOSITY_PROPERTY) == null) {
      // An explicit provider makes SLF4J print an INFO line naming it; its warnings still show.
      System.setProperty(VERBOSITY_PROPERTY, "WARN");
    }
  }
}
