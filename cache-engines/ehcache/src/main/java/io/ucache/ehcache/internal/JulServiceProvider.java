package io.ucache.ehcache.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;
import org.jspecify.annotations.Nullable;

/**
 * An SLF4J provider that sends Ehcache's logs to {@code java.util.logging}, where UCache's own
 * logs go by default, at the levels {@code slf4j-jdk14} uses (TRACE as FINEST, DEBUG as FINE,
 * WARN as WARNING, ERROR as SEVERE). It is never found by SLF4J's service lookup: the ehcache
 * engine names it in the {@code slf4j.provider} system property only when the application has no
 * SLF4J provider at all, so that Ehcache neither prints "No SLF4J providers were found" nor loses
 * its warnings. Thread-safe.
 */
public final class JulServiceProvider implements SLF4JServiceProvider {

  private final Map<String, Logger> loggers = new ConcurrentHashMap<>();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new BasicMDCAdapter();
  private final ILoggerFactory loggerFactory =
      name -> loggers.computeIfAbsent(name, JulLogger::new);

  /** For SLF4J, which instantiates the class it is given by name. */
  public JulServiceProvider() {}

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggerFactory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  /** One SLF4J logger over the {@code java.util.logging} logger of the same name. */
  private static final class JulLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final transient java.util.logging.Logger target;

    JulLogger(String name) {
      this.name = name;
      this.target = java.util.logging.Logger.getLogger(name);
    }

    @Override
    public boolean isTraceEnabled() {
      return target.isLoggable(java.util.logging.Level.FINEST);
    }

    @Override
    public boolean isDebugEnabled() {
      return target.isLoggable(java.util.logging.Level.FINE);
    }

    @Override
    public boolean isInfoEnabled() {
      return target.isLoggable(java.util.logging.Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
      return target.isLoggable(java.util.logging.Level.WARNING);
    }

    @Override
    public boolean isErrorEnabled() {
      return target.isLoggable(java.util.logging.Level.SEVERE);
    }

    @Override
    protected @Nullable String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, @Nullable Marker marker,
        @Nullable String pattern, Object @Nullable [] arguments, @Nullable Throwable thrown) {
      java.util.logging.LogRecord record = new java.util.logging.LogRecord(julLevel(level),
          MessageFormatter.basicArrayFormat(pattern, arguments));
      record.setLoggerName(name);
      // The logger's name is the class that logged; without it, java.util.logging would name
      // this adapter as the source.
      record.setSourceClassName(name);
      record.setThrown(thrown);
      target.log(record);
    }

    private static java.util.logging.Level julLevel(Level level) {
      return switch (level) {
        case TRACE -> java.util.logging.Level.FINEST;
        case DEBUG -> java.util.logging.Level.FINE;
        case INFO -> java.util.logging.Level.INFO;
        case WARN -> java.util.logging.Level.WARNING;
        case ERROR -> java.util.logging.Level.SEVERE;
      };
    }
  }
}
