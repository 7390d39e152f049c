package io.ucache.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jspecify.annotations.Nullable;

/**
 * Writes {@code docs/benchmarks.md} and its chart from JMH's JSON result file and the counts:
 * the machine and the run (with the load while measuring), then one row per target of the
 * benchmark issues (UCache's score or count, the baseline's, their ratio with its error
 * propagated from JMH's score errors or a count's own interval, the target, whether it holds),
 * the counts, every benchmark's raw score, and the performance notes kept with the suite. Not thread-safe;
 * one report per instance.
 */
final class Report {

  /** A benchmark's primary score, its JMH error (99.9% half-width) and bytes per operation. */
  record Score(String benchmark, String mode, int threads, double score, double error,
      String unit, double bytesPerOp) {}

  /** How a value must compare to its target. */
  enum Direction {
    AT_MOST("≤"), AT_LEAST("≥"), EXACTLY("=");

    final String symbol;

    Direction(String symbol) {
      this.symbol = symbol;
    }

    boolean holds(double value, double target) {
      return switch (this) {
        case AT_MOST -> value <= target;
        case AT_LEAST -> value >= target;
        case EXACTLY -> value == target;
      };
    }
  }

  /**
   * One target of the issue. A ratio {@code numerator / denominator} of two benchmarks (or
   * counts), or with a null denominator the numerator's own value; with {@code allocation}, bytes
   * per operation, and {@code numerator - denominator} when there is a denominator.
   */
  record Check(String number, String title, String numerator, @Nullable String denominator,
      Direction direction, double target, boolean allocation) {}

  /** One computed row of the table: null value when a benchmark did not run. */
  record Row(Check check, @Nullable String numeratorText, @Nullable String denominatorText,
      double value, double error) {

    boolean ran() {
      return !Double.isNaN(value);
    }

    /** Whether the point estimate meets the target. */
    boolean holds() {
      return ran() && check.direction.holds(value, check.target);
    }

    /**
     * Whether the target holds for the whole error interval ({@code YES}), for none of it
     * ({@code NO}), or the interval crosses it ({@code UNCLEAR}): then the run cannot tell.
     */
    Verdict verdict() {
      if (!ran()) {
        return Verdict.NOT_RUN;
      }
      double e = Double.isNaN(error) ? 0 : error;
      boolean low = check.direction.holds(value - e, check.target);
      boolean high = check.direction.holds(value + e, check.target);
      if (low && high) {
        return Verdict.YES;
      }
      return !low && !high ? Verdict.NO : Verdict.UNCLEAR;
    }
  }

  /** What a row says about its target. */
  enum Verdict { YES, NO, UNCLEAR, NOT_RUN }

  /** Where and how the run happened, for the report's first section. */
  record RunInfo(String date, String command, String jmhSettings, Map<String, String> machine) {}

  private static final String PREFIX = "io.ucache.benchmarks.";

  /** The targets of issue 7, in its order, then those of issues 19 and 20. */
  static final List<Check> CHECKS = List.of(
      new Check("1", "Get hit, 1 thread, interleaved pairs: Caffeine engine / raw Caffeine",
          "count:hitPairs.t1", null, Direction.AT_MOST, 1.10, false),
      new Check("1", "Get hit, 2 threads, interleaved pairs: Caffeine engine / raw Caffeine",
          "count:hitPairs.t2", null, Direction.AT_MOST, 1.10, false),
      new Check("1", "Get hit allocation, Caffeine engine (B/op)",
          "CaffeineGetBenchmark.ucache_t1", null, Direction.AT_MOST, 0.5, true),
      new Check("2", "Throughput, read-only (2 readers): engine / raw Caffeine",
          "CaffeineThroughputBenchmark.ucache_readOnly", "CaffeineThroughputBenchmark.raw_readOnly",
          Direction.AT_LEAST, 0.90, false),
      new Check("2", "Throughput, 1 reader + 1 writer: engine / raw Caffeine",
          "CaffeineThroughputBenchmark.ucache_readWrite",
          "CaffeineThroughputBenchmark.raw_readWrite", Direction.AT_LEAST, 0.90, false),
      new Check("3", "@UCache hit / hand-written Caffeine decorator, interleaved pairs",
          "count:hitPairs.plainProxy", null, Direction.AT_MOST, 2.0, false),
      new Check("3", "@UCache hit / Spring @Cacheable (CGLIB, CaffeineCacheManager)",
          "AnnotationBenchmark.ucache", "AnnotationBenchmark.spring",
          Direction.AT_MOST, 0.2, false),
      new Check("4", "Hit ratio, Zipf + scans: Caffeine engine / raw Caffeine",
          "count:hitRatio.ucache", "count:hitRatio.caffeine", Direction.AT_LEAST, 0.99, false),
      new Check("4", "Hit ratio, Zipf + scans: Caffeine engine / plain LRU (sanity)",
          "count:hitRatio.ucache", "count:hitRatio.lru", Direction.AT_LEAST, 1.0, false),
      new Check("5", "Ehcache heap hit, interleaved pairs: engine / raw Ehcache",
          "count:hitPairs.ehcacheHeap", null, Direction.AT_MOST, 1.10, false),
      new Check("5", "Ehcache disk hit: engine / raw Ehcache",
          "EhcacheBenchmark.ucache_disk", "EhcacheBenchmark.raw_disk",
          Direction.AT_MOST, 1.10, false),
      new Check("6", "Redis GET: engine / raw Lettuce sync",
          "RedisBenchmark.ucache_get", "RedisBenchmark.lettuce_get",
          Direction.AT_MOST, 1.05, false),
      new Check("6", "Redis: 100 single gets / one getAll of 100 (speed-up)",
          "RedisBenchmark.ucache_get100", "RedisBenchmark.ucache_getAll100",
          Direction.AT_LEAST, 10, false),
      new Check("7", "Single-flight loads, 16 callers, caffeine engine",
          "count:singleFlight.caffeine", null, Direction.EXACTLY, 1, false),
      new Check("7", "Single-flight loads, 16 callers, ehcache engine",
          "count:singleFlight.ehcache", null, Direction.EXACTLY, 1, false),
      new Check("7", "Single-flight loads, 16 callers, redis engine",
          "count:singleFlight.redis", null, Direction.EXACTLY, 1, false),
      new Check("7", "Single-flight loads, 16 callers, @UCache(sync) on caffeine",
          "count:singleFlight.annotation", null, Direction.EXACTLY, 1, false),
      new Check("19", "Get hit allocation, Caffeine engine with an observation registry (B/op)",
          "CaffeineGetBenchmark.ucache_observed_t1", null, Direction.AT_MOST, 0.5, true),
      new Check("20.1", "@UCache hit on a Spring bean (advisor, CGLIB) / CGLIB no-op floor",
          "AnnotationBenchmark.springUCache", "AnnotationBenchmark.cglibNoOp",
          Direction.AT_MOST, 1.15, false),
      new Check("20.2", "@UCache hit, plain proxy / hand-written decorator (both counting), "
          + "interleaved pairs", "count:hitPairs.plainProxy", null, Direction.AT_MOST, 1.30, false),
      new Check("20.2", "@UCache hit allocation, plain proxy (B/op)",
          "AnnotationBenchmark.ucache", null, Direction.AT_MOST, 0.5, true),
      new Check("20.3", "Ehcache heap hit, interleaved pairs: engine / raw Ehcache",
          "count:hitPairs.ehcacheHeap", null, Direction.AT_MOST, 1.20, false),
      new Check("20.3", "Ehcache heap hit allocation: engine minus raw Ehcache (B/op)",
          "EhcacheBenchmark.ucache_heap", "EhcacheBenchmark.raw_heap",
          Direction.AT_MOST, 0.5, true),
      new Check("20.4", "Throughput, read-only (2 readers), interleaved pairs: engine / raw",
          "count:throughputPairs.readOnly", null, Direction.AT_LEAST, 0.95, false),
      new Check("20.4", "Throughput, 1 reader + 1 writer, interleaved pairs: engine / raw",
          "count:throughputPairs.readWrite", null, Direction.AT_LEAST, 0.90, false),
      new Check("20.5", "Get hit, 1 thread, no statistics, interleaved pairs: Caffeine engine / "
          + "raw Caffeine", "count:hitPairs.nostats", null, Direction.AT_MOST, 1.10, false),
      new Check("20.6", "Redis: getAll of 100 / raw Lettuce MGET of 100",
          "RedisBenchmark.ucache_getAll100", "RedisBenchmark.lettuce_mget100",
          Direction.AT_MOST, 1.10, false));

  private final Map<String, Score> scores;
  private final Map<String, Counts.Count> counts;

  Report(List<Score> scores, List<Counts.Count> counts) {
    this.scores = new LinkedHashMap<>();
    scores.forEach(s -> this.scores.put(s.benchmark(), s));
    this.counts = new LinkedHashMap<>();
    counts.forEach(c -> this.counts.put(c.name(), c));
  }

  /**
   * The scores in a JMH JSON result file.
   *
   * @throws IllegalArgumentException if it is not one
   */
  @SuppressWarnings("unchecked")
  static List<Score> readJmh(String json) {
    Object parsed = Json.parse(json);
    if (!(parsed instanceof List<?> runs)) {
      throw new IllegalArgumentException("Not a JMH JSON result: no top-level array");
    }
    List<Score> scores = new ArrayList<>();
    for (Object run : runs) {
      Map<String, Object> r = (Map<String, Object>) run;
      String name = String.valueOf(r.get("benchmark"));
      if (name.startsWith(PREFIX)) {
        name = name.substring(PREFIX.length());
      }
      Map<String, Object> primary = (Map<String, Object>) r.get("primaryMetric");
      double bytes = Double.NaN;
      Object secondary = r.get("secondaryMetrics");
      if (secondary instanceof Map<?, ?> metrics) {
        // JMH 1.37 names it gc.alloc.rate.norm; older versions prefix a middle dot.
        Object norm = metrics.containsKey("gc.alloc.rate.norm") ? metrics.get("gc.alloc.rate.norm")
            : metrics.get("\u00b7gc.alloc.rate.norm");
        if (norm instanceof Map<?, ?> n) {
          bytes = number(n.get("score"));
        }
      }
      scores.add(new Score(name, String.valueOf(r.get("mode")),
          (int) number(r.get("threads")), number(primary.get("score")),
          number(primary.get("scoreError")), String.valueOf(primary.get("scoreUnit")), bytes));
    }
    return scores;
  }

  /** Counts written by {@link #writeCounts}. */
  @SuppressWarnings("unchecked")
  static List<Counts.Count> readCounts(String json) {
    List<Counts.Count> counts = new ArrayList<>();
    for (Object item : (List<Object>) Json.parse(json)) {
      Map<String, Object> c = (Map<String, Object>) item;
      double error = number(c.get("error")); // absent in results written before it existed
      counts.add(new Counts.Count(String.valueOf(c.get("name")), number(c.get("value")),
          Double.isNaN(error) ? 0 : error, String.valueOf(c.get("detail"))));
    }
    return counts;
  }

  static String writeCounts(List<Counts.Count> counts) {
    StringBuilder out = new StringBuilder("[\n");
    for (int i = 0; i < counts.size(); i++) {
      Counts.Count c = counts.get(i);
      out.append("  {\"name\": ").append(Json.quote(c.name())).append(", \"value\": ")
          .append(c.value()).append(", \"error\": ").append(c.error()).append(", \"detail\": ")
          .append(Json.quote(c.detail())).append('}')
          .append(i + 1 < counts.size() ? ",\n" : "\n");
    }
    return out.append("]\n").toString();
  }

  private static double number(@Nullable Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s); // JMH writes "NaN" as a string
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    }
    return Double.NaN;
  }

  /** One row per check; a check whose inputs did not run has a NaN value. */
  List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (Check check : CHECKS) {
      double[] a = value(check.numerator(), check.allocation());
      String aText = describe(check.numerator(), check.allocation());
      if (check.denominator() == null) {
        rows.add(new Row(check, aText, null, a[0], a[1]));
        continue;
      }
      double[] b = value(check.denominator(), check.allocation());
      if (check.allocation()) {
        // Bytes per operation are compared by difference, with the tolerance of the rows that
        // allocate nothing: -prof gc reads 12.13 against 12.12 B/op for the same allocations.
        rows.add(new Row(check, aText, describe(check.denominator(), true), a[0] - b[0], 0));
        continue;
      }
      double ratio = a[0] / b[0];
      // Relative errors add in quadrature for a quotient of independent measurements.
      double error = Math.abs(ratio) * Math.sqrt(square(relative(a)) + square(relative(b)));
      rows.add(new Row(check, aText, describe(check.denominator(), check.allocation()), ratio,
          error));
    }
    return rows;
  }

  private double[] value(String name, boolean allocation) {
    if (name.startsWith("count:")) {
      Counts.Count c = counts.get(name.substring("count:".length()));
      return c == null ? new double[] {Double.NaN, 0} : new double[] {c.value(), c.error()};
    }
    Score s = scores.get(name);
    if (s == null) {
      return new double[] {Double.NaN, 0};
    }
    return allocation ? new double[] {s.bytesPerOp(), 0} : new double[] {s.score(), s.error()};
  }

  private @Nullable String describe(String name, boolean allocation) {
    if (name.startsWith("count:")) {
      Counts.Count c = counts.get(name.substring("count:".length()));
      return c == null ? null
          : c.error() > 0 ? format(c.value()) + " ± " + format(c.error()) : format(c.value());
    }
    Score s = scores.get(name);
    if (s == null) {
      return null;
    }
    if (allocation) {
      return Double.isNaN(s.bytesPerOp()) ? "n/a" : format(s.bytesPerOp()) + " B/op";
    }
    return format(s.score()) + " ± " + format(s.error()) + " " + s.unit();
  }

  private static double relative(double[] valueAndError) {
    double error = Double.isNaN(valueAndError[1]) ? 0 : valueAndError[1];
    return valueAndError[0] == 0 ? 0 : error / valueAndError[0];
  }

  private static double square(double x) {
    return x * x;
  }

  /** The Markdown report. {@code notes} is appended as it is. */
  String markdown(RunInfo info, String chartFile, String notes) {
    StringBuilder md = new StringBuilder();
    md.append("# UCache benchmarks\n\n");
    md.append("Written by the benchmark suite on ").append(info.date()).append(" from JMH's JSON "
        + "result; run the command below to write it again. Every ratio is UCache's score over "
        + "the baseline's, measured side by side in one run; its error is propagated from JMH's "
        + "99.9% score errors.\n\n");
    md.append("## Machine and run\n\n");
    md.append("| | |\n|---|---|\n");
    info.machine().forEach((k, v) -> md.append("| ").append(k).append(" | ").append(cell(v))
        .append(" |\n"));
    Counts.Count load = counts.get(LoadSampler.COUNT);
    if (load != null) {
      md.append("| Load average while measuring | ").append(format(load.value())).append(" (")
          .append(cell(load.detail())).append(") |\n");
    }
    md.append("| Command | `").append(info.command()).append("` |\n");
    md.append("| JMH | ").append(cell(info.jmhSettings())).append(" |\n\n");

    md.append("## Targets\n\n");
    md.append("| # | Comparison | UCache | Baseline | Ratio | ± | Target | Holds |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Row row : rows()) {
      Check c = row.check();
      md.append("| ").append(c.number()).append(" | ").append(cell(c.title())).append(" | ")
          .append(row.numeratorText() == null ? "not run" : cell(row.numeratorText()))
          .append(" | ")
          .append(c.denominator() == null ? "" : row.denominatorText() == null ? "not run"
              : cell(row.denominatorText()))
          .append(" | ").append(row.ran() ? format(row.value()) : "—")
          .append(" | ").append(row.ran() && row.error() > 0 ? format(row.error()) : "")
          .append(" | ").append(c.direction().symbol).append(' ').append(format(c.target()))
          .append(" | ").append(verdictText(row)).append(" |\n");
    }
    md.append("\n\"Holds\" is yes or no only when the whole error interval is on one side of "
        + "the target.\n\n![Ratios against their targets](").append(chartFile).append(")\n\n");

    md.append("## EngineContext open + close (benchmark 8)\n\n| Engine | Time | Allocated |\n"
        + "|---|---|---|\n");
    for (String engine : List.of("caffeine", "ehcache", "redis")) {
      Score s = scores.get("LifecycleBenchmark." + engine);
      md.append("| ").append(engine).append(" | ")
          .append(s == null ? "not run" : format(s.score()) + " ± " + format(s.error()) + " "
              + s.unit())
          .append(" | ").append(s == null || Double.isNaN(s.bytesPerOp()) ? ""
              : format(s.bytesPerOp()) + " B/op").append(" |\n");
    }
    md.append('\n');

    md.append("## Counts\n\n| Count | Value | ± (95%) | How |\n|---|---|---|---|\n");
    counts.values().stream().filter(c -> !c.name().equals(LoadSampler.COUNT))
        .forEach(c -> md.append("| ").append(c.name()).append(" | ")
        .append(format(c.value())).append(" | ").append(c.error() > 0 ? format(c.error()) : "")
        .append(" | ").append(cell(c.detail())).append(" |\n"));

    md.append("\n## Every benchmark\n\n| Benchmark | Mode | Threads | Score | Error | Unit | "
        + "Allocated |\n|---|---|---|---|---|---|---|\n");
    for (Score s : scores.values()) {
      md.append("| ").append(s.benchmark()).append(" | ").append(s.mode()).append(" | ")
          .append(s.threads()).append(" | ").append(format(s.score())).append(" | ")
          .append(Double.isNaN(s.error()) ? "" : format(s.error())).append(" | ")
          .append(s.unit()).append(" | ")
          .append(Double.isNaN(s.bytesPerOp()) ? "" : format(s.bytesPerOp()) + " B/op")
          .append(" |\n");
    }
    if (!notes.isBlank()) {
      md.append('\n').append(notes.strip()).append('\n');
    }
    return md.toString();
  }

  private static String verdictText(Row row) {
    return switch (row.verdict()) {
      case YES -> "yes";
      case NO -> "**no**";
      case UNCLEAR -> "unclear: the error crosses the target (point estimate: "
          + (row.holds() ? "yes" : "no") + ")";
      case NOT_RUN -> "not run";
    };
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    double abs = Math.abs(value);
    if (abs == Math.rint(abs) && abs < 1e6) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    if (abs >= 0.01) {
      return String.format(Locale.ROOT, "%.3f", value);
    }
    return String.format(Locale.ROOT, "%.2g", value);
  }

  // --- the chart

  private static final int WIDTH = 1200;
  private static final int LABEL_WIDTH = 470;
  private static final int ROW_HEIGHT = 34;
  private static final int TOP = 56;
  private static final double MIN = 0.01;
  private static final double MAX = 100;

  /**
   * A bar per ratio on a log scale: green where the target holds, red where it does not, the
   * JMH error as a whisker, the target as a black tick, parity (1x) as a dashed line. Counts
   * that are not ratios are left out.
   */
  BufferedImage chart() {
    List<Row> rows = rows().stream()
        .filter(r -> r.check().denominator() != null && r.ran())
        .toList();
    int height = TOP + rows.size() * ROW_HEIGHT + 50;
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
      g.drawString("UCache / baseline ratios (log scale). Black tick: target. Green: holds, red: "
          + "misses, amber: the error crosses the target", 12, 24);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      FontMetrics metrics = g.getFontMetrics();
      int plotLeft = LABEL_WIDTH;
      int plotRight = WIDTH - 30;
      int plotBottom = TOP + rows.size() * ROW_HEIGHT;
      // Grid and axis labels.
      for (double tick : new double[] {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100}) {
        int x = x(tick, plotLeft, plotRight);
        g.setColor(tick == 1 ? Color.GRAY : new Color(225, 225, 225));
        g.setStroke(tick == 1 ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0) : new BasicStroke(1));
        g.drawLine(x, TOP - 8, x, plotBottom);
        g.setColor(Color.DARK_GRAY);
        String label = (tick < 1 ? Double.toString(tick) : Long.toString((long) tick)) + "x";
        g.drawString(label, x - metrics.stringWidth(label) / 2, plotBottom + 18);
      }
      g.setStroke(new BasicStroke(1));
      int y = TOP;
      for (Row row : rows) {
        Check c = row.check();
        g.setColor(Color.BLACK);
        String label = c.number() + ". " + c.title();
        while (metrics.stringWidth(label) > LABEL_WIDTH - 20 && label.length() > 4) {
          label = label.substring(0, label.length() - 2);
        }
        g.drawString(label, 10, y + ROW_HEIGHT / 2 + 4);
        int barTop = y + 7;
        int barHeight = ROW_HEIGHT - 14;
        int x0 = x(MIN, plotLeft, plotRight);
        int x1 = x(row.value(), plotLeft, plotRight);
        g.setColor(switch (row.verdict()) {
          case YES -> new Color(76, 160, 90);
          case NO -> new Color(210, 70, 60);
          default -> new Color(235, 170, 50);
        });
        g.fillRect(x0, barTop, Math.max(1, x1 - x0), barHeight);
        if (row.error() > 0) {
          g.setColor(Color.DARK_GRAY);
          int lo = x(row.value() - row.error(), plotLeft, plotRight);
          int hi = x(row.value() + row.error(), plotLeft, plotRight);
          g.drawLine(lo, barTop + barHeight / 2, hi, barTop + barHeight / 2);
          g.drawLine(lo, barTop + 3, lo, barTop + barHeight - 3);
          g.drawLine(hi, barTop + 3, hi, barTop + barHeight - 3);
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(3));
        int t = x(c.target(), plotLeft, plotRight);
        g.drawLine(t, barTop - 4, t, barTop + barHeight + 4);
        g.setStroke(new BasicStroke(1));
        // The value goes right of whatever ends last: the bar, its whisker, the target tick.
        String value = format(row.value()) + "x";
        int end = Math.max(Math.max(x1, t), row.error() > 0
            ? x(row.value() + row.error(), plotLeft, plotRight) : x1);
        g.drawString(value, Math.min(end + 6, WIDTH - 4 - metrics.stringWidth(value)),
            barTop + barHeight / 2 + 4);
        y += ROW_HEIGHT;
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static int x(double value, int left, int right) {
    double clamped = Math.max(MIN, Math.min(MAX, value));
    double f = (Math.log(clamped) - Math.log(MIN)) / (Math.log(MAX) - Math.log(MIN));
    return left + (int) Math.round(f * (right - left));
  }

  /** Writes the Markdown report and its PNG chart, next to each other. */
  void write(RunInfo info, Path markdownFile, Path chartFile, String notes) throws IOException {
    Path parent = markdownFile.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    String relative = parent.relativize(chartFile.toAbsolutePath()).toString().replace('\\', '/');
    Files.writeString(markdownFile, markdown(info, relative, notes), StandardCharsets.UTF_8);
    if (!ImageIO.write(chart(), "png", chartFile.toFile())) {
      throw new IOException("No PNG writer in this JDK");
    }
  }
}
