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
  void rows_ratioOfTwoScores_propagatesBothErrors() {
    Report report = new Report(List.of(
        new Report.Score("EhcacheBenchmark.ucache_disk", "avgt", 1, 5.5, 0.11, "ns/op", 0),
        new Report.Score("EhcacheBenchmark.raw_disk", "avgt", 1, 5.0, 0.1, "ns/op", 0)),
        List.of());

    Report.Row row = row(report, "Ehcache disk hit: engine / raw Ehcache");

    assertThat(row.value()).isCloseTo(1.1, within(1e-9));
    // 1.1 * sqrt((0.11/5.5)^2 + (0.1/5)^2) = 1.1 * sqrt(0.0008)
    assertThat(row.error()).isCloseTo(1.1 * Math.sqrt(0.0008), within(1e-9));
    assertThat(row.holds()).isTrue();
  }

  @Test
  void rows_ratioAboveItsCeiling_doesNotHold() throws IOException {
    Report.Row row = row(report(),
        "@UCache hit / Spring @Cacheable (CGLIB, CaffeineCacheManager)");

    assertThat(row.value()).isEqualTo(3.0);
    assertThat(row.holds()).isFalse();
  }

  @Test
  void verdict_errorIntervalCrossingTheTarget_isUnclear() throws IOException {
    Report report = new Report(List.of(
        new Report.Score("EhcacheBenchmark.ucache_disk", "avgt", 1, 5.4, 0.5, "ns/op", 0),
        new Report.Score("EhcacheBenchmark.raw_disk", "avgt", 1, 5.0, 0.01, "ns/op", 0)),
        List.of());

    Report.Row row = row(report, "Ehcache disk hit: engine / raw Ehcache");

    assertThat(row.holds()).isTrue();
    assertThat(row.verdict()).isEqualTo(Report.Verdict.UNCLEAR);
    assertThat(row(report, "Ehcache heap hit, interleaved pairs: engine / raw Ehcache").verdict())
        .as("read from its pairs, not from the single runs").isEqualTo(Report.Verdict.NOT_RUN);
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
        .contains("| 1 | Get hit, 1 thread, interleaved pairs: Caffeine engine / raw Caffeine "
            + "| not run |")
        .contains("| 1 | Get hit allocation, Caffeine engine (B/op) | 0.0010 B/op |  | 0.0010 |  "
            + "| ≤ 0.500 | yes |")
        .contains("| 3 | @UCache hit / Spring @Cacheable (CGLIB, CaffeineCacheManager) "
            + "| 30 ± 3 ns/op | 10 ± 1 ns/op | 3 | 0.424 | ≤ 0.200 | **no** |")
        .contains("| 4 | Hit ratio, Zipf + scans: Caffeine engine / raw Caffeine | 0.400 | 0.410 "
            + "| 0.976 |  | ≥ 0.990 | **no** |")
        .contains("| Redis GET: engine / raw Lettuce sync | not run | not run |")
        .contains("| 20.6 | Redis: getAll of 100 / raw Lettuce MGET of 100 | not run | not run |")
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
    List<Counts.Count> counts = List.of(new Counts.Count("a.b", 0.25, "with \"quotes\"\n"),
        new Counts.Count("c.d", 0.97, 0.04, "8 pairs"));

    assertThat(Report.readCounts(Report.writeCounts(counts))).isEqualTo(counts);
    // Results written before counts had an error read as exact counts.
    assertThat(Report.readCounts("[{\"name\": \"e\", \"value\": 1, \"detail\": \"x\"}]"))
        .containsExactly(new Counts.Count("e", 1, 0, "x"));
  }

  @Test
  void write_loadSampledWhileMeasuring_isARowOfTheRunNotACount(@TempDir Path dir)
      throws IOException {
    Report report = new Report(List.of(), List.of(
        new Counts.Count(LoadSampler.COUNT, 2.25, "mean of 4 one-minute load averages"),
        new Counts.Count("hitRatio.lru", 0.375, "trace")));
    Path markdown = dir.resolve("benchmarks.md");

    report.write(INFO, markdown, dir.resolve("benchmarks.png"), "");

    assertThat(Files.readString(markdown))
        .contains("| Load average while measuring | 2.250 (mean of 4 one-minute load averages) |")
        .contains("| hitRatio.lru | 0.375 |")
        .doesNotContain("| " + LoadSampler.COUNT + " |");
  }

  @Test
  void loadSampler_samplesAtOnce_andStopsWhenClosed() {
    Counts.Count count;
    try (LoadSampler sampler = LoadSampler.start()) {
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
      while ((count = sampler.count()) == null && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
    }
    // Linux, where the suite runs, has a load average.
    assertThat(count).isNotNull();
    assertThat(count.name()).isEqualTo(LoadSampler.COUNT);
    assertThat(count.value()).isNotNegative();
    assertThat(count.detail()).startsWith("mean of 1 one-minute load averages read every 15 s");
  }

  @Test
  void rows_allocationAgainstABaseline_comparesBytesPerOperationByDifference() {
    Report more = new Report(List.of(
        new Report.Score("EhcacheBenchmark.ucache_heap", "avgt", 1, 60, 1, "ns/op", 40),
        new Report.Score("EhcacheBenchmark.raw_heap", "avgt", 1, 50, 1, "ns/op", 16)),
        List.of());
    Report same = new Report(List.of(
        new Report.Score("EhcacheBenchmark.ucache_heap", "avgt", 1, 60, 1, "ns/op", 12.13),
        new Report.Score("EhcacheBenchmark.raw_heap", "avgt", 1, 50, 1, "ns/op", 12.12)),
        List.of());
    String title = "Ehcache heap hit allocation: engine minus raw Ehcache (B/op)";

    Report.Row bytes = row(more, title);

    assertThat(bytes.value()).isCloseTo(24, within(1e-9));
    assertThat(bytes.verdict()).isEqualTo(Report.Verdict.NO);
    assertThat(bytes.numeratorText()).isEqualTo("40 B/op");
    assertThat(bytes.denominatorText()).isEqualTo("16 B/op");
    assertThat(row(same, title).value()).isCloseTo(0.01, within(1e-9));
    assertThat(row(same, title).verdict()).isEqualTo(Report.Verdict.YES);
  }

  @Test
  void rows_countWithAnInterval_isUnclearWhileTheIntervalCrossesTheTarget(@TempDir Path dir)
      throws IOException {
    String title = "Throughput, read-only (2 readers), interleaved pairs: engine / raw";
    Report crossing = new Report(List.of(), List.of(
        new Counts.Count("throughputPairs.readOnly", 0.97, 0.05, "8 pairs")));
    Report clear = new Report(List.of(), List.of(
        new Counts.Count("throughputPairs.readOnly", 0.99, 0.03, "8 pairs")));

    assertThat(row(crossing, title).verdict()).isEqualTo(Report.Verdict.UNCLEAR);
    assertThat(row(clear, title).verdict()).isEqualTo(Report.Verdict.YES);
    Path markdown = dir.resolve("benchmarks.md");
    crossing.write(INFO, markdown, dir.resolve("benchmarks.png"), "");
    assertThat(Files.readString(markdown))
        .contains("| 20.4 | " + title + " | 0.970 ± 0.050 |  | 0.970 | 0.050 | ≥ 0.950 | unclear")
        .contains("| throughputPairs.readOnly | 0.970 | 0.050 | 8 pairs |");
  }

  @Test
  void rows_hitRatios_readFromTheirInterleavedPairs() {
    Report report = new Report(List.of(
        new Report.Score("AnnotationBenchmark.ucache", "avgt", 1, 99, 1, "ns/op", 0),
        new Report.Score("AnnotationBenchmark.decorator", "avgt", 1, 10, 1, "ns/op", 0)),
        List.of(new Counts.Count("hitPairs.t1", 1.04, 0.03, "8 pairs"),
            new Counts.Count("hitPairs.plainProxy", 1.5, 0.1, "8 pairs"),
            new Counts.Count("hitPairs.ehcacheHeap", 1.15, 0.03, "8 pairs")));

    Report.Row t1 = row(report,
        "Get hit, 1 thread, interleaved pairs: Caffeine engine / raw Caffeine");
    assertThat(t1.value()).isEqualTo(1.04);
    assertThat(t1.error()).isEqualTo(0.03);
    assertThat(t1.verdict()).isEqualTo(Report.Verdict.YES);
    assertThat(row(report, "@UCache hit / hand-written Caffeine decorator, interleaved pairs")
        .verdict()).as("not the single run's 9.9x").isEqualTo(Report.Verdict.YES);
    assertThat(row(report, "@UCache hit, plain proxy / hand-written decorator (both counting), "
        + "interleaved pairs").verdict()).isEqualTo(Report.Verdict.NO);
    assertThat(row(report, "Get hit, 2 threads, interleaved pairs: Caffeine engine / raw "
        + "Caffeine").verdict()).isEqualTo(Report.Verdict.NOT_RUN);
    List<Report.Row> ehcacheHeap = report.rows().stream()
        .filter(r -> r.check().title()
            .equals("Ehcache heap hit, interleaved pairs: engine / raw Ehcache"))
        .toList();
    assertThat(ehcacheHeap).extracting(Report.Row::value).containsExactly(1.15, 1.15);
    assertThat(ehcacheHeap).extracting(Report.Row::verdict)
        .as("row 5 against 1.1x, row 20.3 against 1.2x")
        .containsExactly(Report.Verdict.NO, Report.Verdict.YES);
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
