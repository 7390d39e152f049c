package io.ucache.cli;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CachedValue;
import io.ucache.Capability;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * A command on one cache, {@code String} to {@code String}: it starts the configured engine, runs,
 * and closes the engine before {@code ucache} exits. The subclasses are the commands.
 */
abstract class CacheCommand implements Callable<Integer> {

  /** Injected by picocli before any method runs. */
  @ParentCommand
  private UCacheCommand root;

  /** Injected by picocli before any method runs. */
  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CACHE", description = "The cache's name.")
  private String cacheName;

  @Override
  public final Integer call() {
    if (cacheName.isBlank()) {
      throw new ParameterException(spec.commandLine(), "The cache name cannot be blank");
    }
    try (CacheEngine engine = root.openEngine(required())) {
      Cache<String, String> cache = engine.cache(cacheName, String.class, String.class);
      int code = run(engine, cache, spec.commandLine().getOut());
      spec.commandLine().getOut().flush();
      return code;
    }
  }

  /** Capabilities this invocation needs of the engine, on top of the configured ones. */
  Set<Capability> required() {
    return Set.of();
  }

  /** The command's work on an open engine, which the caller closes; returns the exit code. */
  abstract int run(CacheEngine engine, Cache<String, String> cache, PrintWriter out);

  @Command(name = "put", description = "Cache VALUE for KEY.")
  static final class Put extends CacheCommand {

    @Parameters(index = "1", paramLabel = "KEY", description = "The key.")
    private String key;

    @Parameters(index = "2", paramLabel = "VALUE", description = "The value, stored as UTF-8.")
    private String value;

    @Option(names = "--ttl", paramLabel = "DURATION", converter = TtlConverter.class,
        description = "How long this entry lives, such as 30s, 10m, 1h, 2d or PT10M; default: "
            + "the cache's ttl.")
    private @Nullable Duration ttl;

    /** With --ttl the engine must expire single entries; an engine that cannot is refused. */
    @Override
    Set<Capability> required() {
      return ttl == null ? Set.of() : Set.of(Capability.PER_ENTRY_TTL);
    }

    @Override
    int run(CacheEngine engine, Cache<String, String> cache, PrintWriter out) {
      if (ttl == null) {
        cache.put(key, value);
      } else {
        cache.put(key, value, ttl);
      }
      if (!engine.capabilities().contains(Capability.PERSISTENT)
          && !engine.capabilities().contains(Capability.SHARED)) {
        // The entry dies with this process; say so, or the next 'ucache get' looks like a bug.
        spec.commandLine().getErr().println("ucache: note: engine '" + engine.name()
            + "' keeps entries in this process only, so they are gone when ucache exits");
      }
      return ErrorReporter.OK;
    }
  }

  /** Parses {@code --ttl} with the same rules as configuration durations. */
  static final class TtlConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String text) {
      Duration ttl;
      try {
        ttl = CacheConfig.parseDuration(text);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("'" + text + "' is not a duration; use a number and a "
            + "unit (500ms, 30s, 10m, 1h, 2d) or ISO-8601 (PT10M)");
      }
      if (ttl.isZero() || ttl.isNegative()) {
        throw new TypeConversionException("'" + text + "' is not a positive duration");
      }
      return ttl;
    }
  }

  @Command(name = "get",
      description = "Print the value cached for KEY. Exits 1, printing nothing, when there is "
          + "none.")
  static final class Get extends CacheCommand {

    @Parameters(index = "1", paramLabel = "KEY", description = "The key.")
    private String key;

    @Override
    int run(CacheEngine engine, Cache<String, String> cache, PrintWriter out) {
      CachedValue<String> found = cache.lookup(key);
      if (found == null) {
        return ErrorReporter.NOT_FOUND;
      }
      // A cached null (only with null-values=true) is present but has no text to print.
      String text = found.value();
      if (text != null) {
        out.println(text);
      }
      return ErrorReporter.OK;
    }
  }

  @Command(name = "evict", description = "Remove the entry for KEY, if there is one.")
  static final class Evict extends CacheCommand {

    @Parameters(index = "1", paramLabel = "KEY", description = "The key.")
    private String key;

    @Override
    int run(CacheEngine engine, Cache<String, String> cache, PrintWriter out) {
      cache.evict(key);
      return ErrorReporter.OK;
    }
  }

  @Command(name = "clear", description = "Remove every entry of CACHE, and only of CACHE.")
  static final class Clear extends CacheCommand {

    @Override
    int run(CacheEngine engine, Cache<String, String> cache, PrintWriter out) {
      cache.clear();
      return ErrorReporter.OK;
    }
  }

  @Command(name = "keys", description = "Print the keys of CACHE, one per line, in no order.")
  static final class Keys extends CacheCommand {

    @Override
    int run(CacheEngine engine, Cache<String, String> cache, PrintWriter out) {
      // The stream may hold a cursor or a file: close it even if printing fails.
      try (Stream<String> keys = cache.keys()) {
        keys.forEach(out::println);
      }
      return ErrorReporter.OK;
    }
  }

  @Command(name = "stats",
      description = "Print what the store holds for CACHE now: its entries, counted by a scan, "
          + "and the entries the scan could not read. Hit, miss and load counters are kept by "
          + "each process for its own calls: see the application's stats() or its metrics.")
  static final class Stats extends CacheCommand {

    @Override
    int run(CacheEngine engine, Cache<String, String> cache, PrintWriter out) {
      long errorsBefore = cache.stats().errorCount();
      long entries;
      try (Stream<String> keys = cache.keys()) {
        entries = keys.count();
      }
      out.println("entries     " + entries);
      out.println("unreadable  " + (cache.stats().errorCount() - errorsBefore));
      return ErrorReporter.OK;
    }
  }
}
