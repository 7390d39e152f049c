package io.ucache.testkit;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The {@code java.util.logging} records of one logger and its children during each test (UCache
 * logs through {@code System.Logger}, which the JDK routes there):
 *
 * <pre>{@code
 * @RegisterExtension
 * final LogCapture logs = LogCapture.of("io.ucache");
 * ...
 * assertThat(logs.warnings()).hasSize(1);
 * }</pre>
 *
 * <p>Thread-safe: records may arrive on any thread. <b>Nulls:</b> none accepted or returned.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

  /** Held strongly: {@code java.util.logging} keeps loggers only weakly. */
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  private LogCapture(String loggerName) {
    this.logger = Logger.getLogger(loggerName);
  }

  /** Captures what {@code loggerName} and the loggers below it log (at their levels). */
  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    records.clear();
    logger.addHandler(handler);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    logger.removeHandler(handler);
  }

  /** Every record so far in this test, in order; a live, unmodifiable view. */
  public List<LogRecord> records() {
    return Collections.unmodifiableList(records);
  }

  /** The records at WARNING or above so far in this test. */
  public List<LogRecord> warnings() {
    return records.stream()
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue())
        .toList();
  }
}
