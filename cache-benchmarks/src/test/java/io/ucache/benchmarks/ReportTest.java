package io.ucache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report writer on a small JMH result: no benchmark runs here. */
class ReportTest {

  private static final Report.RunInfo INFO = new Report.RunInfo("Sat, 1 Jan 2000 00:00:00 GMT",
      "java -jar cache-benchmarks/target/ucache-benchmarks.jar --quick", "quick mode",
      Map.of("CPU", "Test CPU"));

  private static String sample() throws IOException {
    try (InputStream in = ReportTest.class.getResourceAsStream("sample-result.json")) {
      return new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Report report() throws IOException {
    return new Report(Report.readJmh(sample()), List.of(
        new Counts.Count("hitRatio.ucache", 0.40, "trace"),
        new Counts.Count("hitRatio.caffeine", 0.41, "trace"),
        new Counts.Count("singleFlight.caffeine", 1, "16 callers")));
  }

  private static Report.Row row(Report report, String title) {
    return report.rows().stream().filter(r -> r.check().title().equals(title)).findFirst()
        .orElseThrow();
  }

  @Test
  void readJmh_sample_readsScoresErrorsAndBytesPerOperation() throws IOException {
    List<Report.Score> scores = Report.readJmh(sample());

    assertThat(scores).hasSize(4);
    Report.Score first = scores.get(0);
    assertThat(first.benchmark()).isEqualTo("CaffeineGetBenchmark.ucache_t1");
    assertThat(first.score()).isEqualTo(5.5);
    assertThat(first.error()).isEqualTo(0.11);
    assertThat(first.unit()).isEqualTo("ns/op");
    assertThat(first.bytesPerOp()).isEqualTo(0.001);
    assertThat(scores.get(1).bytesPerOp()).isNaN();
  }

  @Test
  void rows_ratioOfTwoScores_propagatesBothErrors() throws IOException {
    Report.Row row = row(report(), "Get hit, 1 thread: Caffeine engine / raw Caffeine");

    assertThat(row.value()).isCloseTo(1.1, within(1e-9));
    // 1.1 * sqrt((0.11/5.5)^2 + (0.1/5)^2) = 1.1 * sqrt(0.0008)
    assertThat(row.error()).isCloseTo(1.1 * Math.sqrt(0.0008), within(1e-9));
    assertThat(row.holds()).isTrue();
  }

  @Test
  void rows_ratioAboveItsCeiling_doesNotHold() throws IOException {
    Report.Row row = row(report(), "@UCache hit / hand-written Caffeine decorator");

    assertThat(row.value()).isEqualTo(3.0);
    assertThat(row.holds()).isFalse();
  }

  @Test
  void verdict_errorIntervalCrossingTheTarget_isUnclear() throws IOException {
    Report report = new Report(List.of(
        new Report.Score("CaffeineGetBenchmark.ucache_t2", "avgt", 2, 5.4, 0.5, "ns/op", 0),
        new Report.Score("CaffeineGetBenchmark.raw_t2", "avgt", 2, 5.0, 0.01, "ns/op", 0)),
        List.of());

    Report.Row row = row(report, "Get hit, 2 threads: Caffeine engine / raw Caffeine");

    assertThat(row.holds()).isTrue();
    assertThat(row.verdict()).isEqualTo(Report.Verdict.UNCLEAR);
    assertThat(row(report, "Get hit, 1 thread: Caffeine engine / raw Caffeine").verdict())
        .isEqualTo(Report.Verdict.NOT_RUN);
  }

  @Test
  void rows_countsAndMissingBenchmarks_areComparedOrMarkedNotRun() throws IOException {
    Report report = report();

    Report.Row ratio = row(report, "Hit ratio, Zipf + scans: Caffeine engine / raw Caffeine");
    assertThat(ratio.value()).isCloseTo(0.40 / 0.41, within(1e-9));
    assertThat(ratio.holds()).isFalse();
    assertThat(row(report, "Single-flight loads, 16 callers, caffeine engine").holds()).isTrue();
    assertThat(row(report, "Redis GET: engine / raw Lettuce sync").ran()).isFalse();
  }

  @Test
  void write_sample_writesTheTableAndAPngTheMarkdownLinks(@TempDir Path dir) throws IOException {
    Path markdown = dir.resolve("benchmarks.md");
    Path png = dir.resolve("benchmarks.png");

    report().write(INFO, markdown, png, "## Notes\n\nKept as they are.");

    String text = Files.readString(markdown);
    assertThat(text)
        .contains("| CPU | Test CPU |")
        .contains("`java -jar cache-benchmarks/target/ucache-benchmarks.jar --quick`")
        .contains("| 1 | Get hit, 1 thread: Caffeine engine / raw Caffeine | 5.500 ± 0.110 ns/op "
            + "| 5 ± 0.100 ns/op | 1.100 | 0.031 | ≤ 1.100 | unclear: the error crosses the "
            + "target (point estimate: yes) |")
        .contains("| 1 | Get hit allocation, Caffeine engine (B/op) | 0.0010 B/op |  | 0.0010 |  "
            + "| ≤ 0.500 | yes |")
        .contains("| 3 | @UCache hit / hand-written Caffeine decorator | 30 ± 3 ns/op "
            + "| 10 ± 1 ns/op | 3 | 0.424 | ≤ 2 | **no** |")
        .contains("| 4 | Hit ratio, Zipf + scans: Caffeine engine / raw Caffeine | 0.400 | 0.410 "
            + "| 0.976 |  | ≥ 0.990 | **no** |")
        .contains("| Redis GET: engine / raw Lettuce sync | not run | not run |")
        .contains("| ehcache | not run |  |")
        .contains("![Ratios against their targets](benchmarks.png)")
        .contains("| CaffeineGetBenchmark.ucache_t1 | avgt | 1 | 5.500 | 0.110 | ns/op | 0.0010 B/op |")
        .endsWith("## Notes\n\nKept as they are.\n");
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1200);
    assertThat(image.getHeight()).isGreaterThan(100);
  }

  @Test
  void counts_writtenThenRead_roundTrip() {
    List<Counts.Count> counts = List.of(new Counts.Count("a.b", 0.25, "with \"quotes\"\n"));

    assertThat(Report.readCounts(Report.writeCounts(counts))).isEqualTo(counts);
  }

  @Test
  void readJmh_notJmhOutput_failsNamingTheProblem() {
    assertThatThrownBy(() -> Report.readJmh("{\"benchmark\": 1}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no top-level array");
    assertThatThrownBy(() -> Report.readJmh("[1, 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not JSON at offset");
  }

  @Test
  void parse_arguments_quickModeDocsAndCommand() {
    BenchmarkSuite.Settings settings = BenchmarkSuite.parse(new String[] {"--quick", "--docs",
        "out"});

    assertThat(settings.quick()).isTrue();
    assertThat(settings.docs()).isEqualTo(Path.of("out"));
    assertThat(settings.command())
        .isEqualTo("java -jar cache-benchmarks/target/ucache-benchmarks.jar --quick --docs out");
    assertThatThrownBy(() -> BenchmarkSuite.parse(new String[] {"--fast"}))
        .hasMessageContaining("Unknown option '--fast'");
  }

  @Test
  void trace_sameLength_isTheSameEveryTime() {
    assertThat(Counts.trace(10_000)).isEqualTo(Counts.trace(10_000));
    assertThat(ZipfKeys.draw(100, 1_000, 0.99, 1)).isEqualTo(ZipfKeys.draw(100, 1_000, 0.99, 1))
        .isNotEqualTo(ZipfKeys.draw(100, 1_000, 0.99, 2));
  }
}
