package io.ucache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ucache app} against a running application: a child JVM ({@link JmxApplication}) whose
 * engine registers its JMX MXBeans, reached by process id.
 */
class AppCommandTest {

  @TempDir static Path temp;
  private static ChildJvm application;

  @BeforeAll
  static void start() throws Exception {
    application = ChildJvm.start(temp.resolve("application.stderr"), JmxApplication.class);
    application.line("READY", Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    application.close();
  }

  private static CliRun ucache(String... args) {
    List<String> all = new ArrayList<>(List.of("app", "--pid",
        Long.toString(application.process().pid())));
    all.addAll(List.of(args));
    return CliRun.of(all);
  }

  @Test
  void caches_tableAndJson_withTheApplicationsStatistics() {
    CliRun table = ucache("caches");
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out()).startsWith("ENGINE").contains("caffeine").contains("prices");
    assertThat(table.out().lines().filter(line -> line.contains("prices")).findFirst()
        .orElseThrow().split("\\s+")).contains("50.0%");

    CliRun json = ucache("caches", "--json");
    assertThat(json.exitCode()).isZero();
    assertThat(json.out()).contains("\"cache\": \"prices\"", "\"hits\": 1", "\"misses\": 1",
        "\"engine\": \"caffeine\"", "\"settings\": {\"engine\": \"caffeine\"");
  }

  @Test
  void cache_evictByKeyText_thenClear() throws Exception {
    assertThat(ucache("cache", "prices").out()).contains("settings of 'prices'");

    CliRun evicted = ucache("evict", "prices", "2");
    assertThat(evicted.out()).isEqualTo("Evicted 1 entry of 'prices'\n");
    application.send("LIST");
    assertThat(application.line("prices:", Duration.ofSeconds(30))).isEqualTo("prices: [1]");

    assertThat(ucache("clear", "prices", "--json").out())
        .isEqualTo("{\"cache\": \"prices\", \"cleared\": 1}\n");
    application.send("LIST");
    assertThat(application.line("prices:", Duration.ofSeconds(30))).isEqualTo("prices: []");
  }

  @Test
  void watch_printsATableEachInterval() {
    CliRun watch = ucache("watch", "--interval", "10ms", "--count", "2");
    assertThat(watch.exitCode()).isZero();
    assertThat(watch.out().lines().filter(line -> line.startsWith("ENGINE"))).hasSize(2);
  }

  @Test
  void unknownCache_usageErrorNamingIt() {
    CliRun result = ucache("clear", "nope");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("no cache 'nope'");
  }
}
