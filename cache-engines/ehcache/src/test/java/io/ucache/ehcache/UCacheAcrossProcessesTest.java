package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code @UCache} result written to the disk engine by one JVM is a hit in another: the key of
 * a call is the same in both, and the value reads back as the method's type.
 */
class UCacheAcrossProcessesTest {

  /** The annotated service both processes call. */
  public interface Quotes {
    @UCache(name = "quotes")
    Quote quote(String sku, int quantity, List<String> options);
  }

  /** A value of the user's own type, stored through the allow-listed Java codec. */
  public record Quote(String sku, int quantity, long cents, String computedBy)
      implements java.io.Serializable {}

  /** Counts its runs; {@code who} tells which process computed a quote. */
  static final class QuoteService implements Quotes {
    final AtomicInteger runs = new AtomicInteger();
    final String who;

    QuoteService(String who) {
      this.who = who;
    }

    @Override
    public Quote quote(String sku, int quantity, List<String> options) {
      runs.incrementAndGet();
      return new Quote(sku, quantity, 125L * quantity + options.size(), who);
    }
  }

  /** What an admin process has: it evicts quotes and never reads them. */
  public interface QuoteAdmin {
    @UCacheEvict(name = "quotes")
    void quoteChanged(String sku, int quantity, List<String> options);
  }

  /**
   * The child, on the folder given: computes one quote, or with {@code evict} only evicts it,
   * then closes the engine cleanly.
   */
  public static void main(String[] args) {
    if (args.length > 1 && args[1].equals("evict")) {
      try (CacheEngine engine = EngineManager.getDefault().create(config(args[0]));
          UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
        ucache.proxy(QuoteAdmin.class, (sku, quantity, options) -> { })
            .quoteChanged("apple", 3, List.of("gift-wrap", "express"));
        System.out.println("evicted");
      }
      return;
    }
    try (CacheEngine engine = EngineManager.getDefault().create(config(args[0]));
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      QuoteService service = new QuoteService("child");
      Quotes quotes = ucache.proxy(Quotes.class, service);
      quotes.quote("apple", 3, List.of("gift-wrap", "express"));
      quotes.quote("apple", 3, List.of("gift-wrap", "express"));
      System.out.println("runs=" + service.runs.get());
    }
  }

  static CacheConfig config(String folder) {
    return CacheConfig.builder().engine("ehcache").set(EhcacheSettings.FOLDER, folder).build();
  }

  /** Runs {@link #main} in a child JVM to its end; returns what it printed. */
  private static String runChild(Path temp, String... args) throws Exception {
    Path out = temp.resolve("child.out");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        UCacheAcrossProcessesTest.class.getName()));
    command.addAll(List.of(args));
    Process child = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(out.toFile())
        .start();
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child finished").isTrue();
    String printed = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(child.exitValue()).as(printed).isZero();
    return printed;
  }

  @Test
  void evict_fromAnotherJvmThatNeverReadTheCache_removesTheEntry(@TempDir Path temp)
      throws Exception {
    Path folder = temp.resolve("shared");
    QuoteService service = new QuoteService("parent");
    try (CacheEngine engine = EngineManager.getDefault().create(config(folder.toString()));
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      Quotes quotes = ucache.proxy(Quotes.class, service);
      quotes.quote("apple", 3, List.of("gift-wrap", "express"));
      quotes.quote("apple", 4, List.of("gift-wrap", "express"));
    }
    assertThat(service.runs).hasValue(2);

    assertThat(runChild(temp, folder.toString(), "evict")).contains("evicted")
        .doesNotContain("WARN");

    try (CacheEngine engine = EngineManager.getDefault().create(config(folder.toString()));
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      Quotes quotes = ucache.proxy(Quotes.class, service);
      quotes.quote("apple", 3, List.of("gift-wrap", "express"));
      assertThat(service.runs).as("the evicted quote ran again").hasValue(3);
      quotes.quote("apple", 4, List.of("gift-wrap", "express"));
      assertThat(service.runs).as("the other quote is still a hit").hasValue(3);
    }
  }

  @Test
  void call_resultCachedByAnotherJvm_isAHitHere(@TempDir Path temp) throws Exception {
    Path folder = temp.resolve("shared");
    assertThat(runChild(temp, folder.toString())).contains("runs=1");

    try (CacheEngine engine = EngineManager.getDefault().create(config(folder.toString()));
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      QuoteService service = new QuoteService("parent");
      Quotes quotes = ucache.proxy(Quotes.class, service);

      Quote quote = quotes.quote("apple", 3, List.of("gift-wrap", "express"));
      Quote other = quotes.quote("apple", 4, List.of("gift-wrap", "express"));

      assertThat(quote).isEqualTo(new Quote("apple", 3, 377, "child"));
      assertThat(other.computedBy()).as("other arguments are another key").isEqualTo("parent");
      assertThat(service.runs).as("only the new arguments ran here").hasValue(1);
    }
  }
}
