package io.ucache.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The one command that runs every benchmark and writes the report:
 *
 * <pre>
 * mvn -q -DskipTests package
 * java -jar cache-benchmarks/target/ucache-benchmarks.jar [--quick] [--docs DIR]
 *     [--results DIR] [--include REGEX]... [--report-only | --counts-only]
 * </pre>
 *
 * <p>It runs JMH through its {@link Runner} API with the GC profiler (bytes per operation) and a
 * JSON result file, computes the counts ({@link Counts}), and writes {@code benchmarks.md} and
 * {@code benchmarks.png} into the docs folder ({@code docs} of the working directory by
 * default). {@code --quick} takes about 14 minutes on two cores and is for checking the pipeline;
 * the default (full) run is what the committed report should hold. {@code --report-only}
 * rewrites the report from the result files of an earlier run; {@code --counts-only} computes
 * the counts again and rewrites the report with the earlier run's JMH results. JMH's own command
 * line stays available: {@code java -cp cache-benchmarks/target/ucache-benchmarks.jar
 * org.openjdk.jmh.Main AnnotationBenchmark -prof gc}.
 */
public final class BenchmarkSuite {

  private static final String USAGE = "usage: java -jar ucache-benchmarks.jar [--quick] "
      + "[--docs DIR] [--results DIR] [--include REGEX]... [--report-only | --counts-only]";

  /**
   * The heap of every forked benchmark JVM: fixed, so no run resizes it while measuring, and
   * touched at startup, so that a benchmark that allocates does not fault in fresh pages of the
   * young generation while it is measured. On this project's virtual machines a fault costs
   * enough to make such forks settle in a slow mode: raw Ehcache's heap hit (16 B/op) measured
   * 124 to 133 ns in four forks of five without it, and 48.9 to 75.4 ns in 21 forks with it.
   */
  static final List<String> JVM_ARGS = List.of("-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch");

  private BenchmarkSuite() {}

  /** Settings of one run, parsed from the command line. */
  record Settings(boolean quick, Path docs, Path results, List<String> includes,
      boolean reportOnly, boolean countsOnly, String command) {

    /**
     * Forks: a nanosecond benchmark's score moves from one JVM to the next (code layout, JIT
     * decisions) by more than its iterations vary within one, so the full mode runs four: with
     * two, Caffeine's two-thread get hit once came out 1.22x raw Caffeine, and 1.03x with four.
     */
    int forks() {
      return quick ? 1 : 4;
    }

    int warmups() {
      return quick ? 2 : 3;
    }

    /**
     * Measurement iterations: JMH's error is a 99.9% Student-t interval, whose factor is 31.6
     * for three measurements, 5.4 for eight and 4.0 for sixteen, so more short iterations
     * tighten the error far more than fewer long ones; the full mode's 4 forks of 5 give 20.
     */
    int measurements() {
      return quick ? 8 : 5;
    }

    TimeValue warmupTime() {
      return quick ? TimeValue.seconds(1) : TimeValue.seconds(2);
    }

    TimeValue measurementTime() {
      return quick ? TimeValue.milliseconds(500) : TimeValue.seconds(1);
    }

    String describe() {
      return (quick ? "quick" : "full") + " mode: " + forks() + " fork(s), " + warmups()
          + " warm-up iterations of " + warmupTime() + ", " + measurements()
          + " measurement iterations of " + measurementTime() + " per fork, -prof gc, "
          + "JVM " + String.join(" ", JVM_ARGS);
    }
  }

  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Path jmhJson = settings.results().resolve("jmh-result.json");
    Path countsJson = settings.results().resolve("counts.json");
    Files.createDirectories(settings.results());
    if (!settings.reportOnly()) {
      List<Counts.Count> counted;
      try (LoadSampler load = LoadSampler.start()) {
        if (!settings.countsOnly()) {
          runJmh(settings, jmhJson);
        }
        System.out.println("Counting hit ratios and single-flight loads...");
        counted = new ArrayList<>(Counts.all(settings.quick()));
        Counts.Count sampled = load.count();
        if (sampled != null) {
          counted.add(sampled);
        }
      }
      Files.writeString(countsJson, Report.writeCounts(counted), StandardCharsets.UTF_8);
    }
    List<Report.Score> scores = Files.exists(jmhJson)
        ? Report.readJmh(Files.readString(jmhJson, StandardCharsets.UTF_8)) : List.of();
    List<Counts.Count> counts = Files.exists(countsJson)
        ? Report.readCounts(Files.readString(countsJson, StandardCharsets.UTF_8)) : List.of();
    Report report = new Report(scores, counts);
    Path markdown = settings.docs().resolve("benchmarks.md");
    Path chart = settings.docs().resolve("benchmarks.png");
    report.write(runInfo(settings), markdown, chart, notes());
    System.out.println("Wrote " + markdown + " and " + chart);
    for (Report.Row row : report.rows()) {
      System.out.printf(Locale.ROOT, "  %-70s %10s  target %s %s  %s%n", row.check().title(),
          Report.format(row.value()), row.check().direction().symbol,
          Report.format(row.check().target()), row.verdict());
    }
  }

  static Settings parse(String[] args) {
    boolean quick = false;
    boolean reportOnly = false;
    boolean countsOnly = false;
    Path docs = Path.of("docs");
    Path results = Path.of("cache-benchmarks", "target", "benchmarks");
    List<String> includes = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--report-only" -> reportOnly = true;
        case "--counts-only" -> countsOnly = true;
        case "--docs" -> docs = Path.of(argument(args, ++i, "--docs"));
        case "--results" -> results = Path.of(argument(args, ++i, "--results"));
        case "--include" -> includes.add(argument(args, ++i, "--include"));
        default -> throw new IllegalArgumentException("Unknown option '" + args[i] + "'");
      }
    }
    if (includes.isEmpty()) {
      includes.add("io\\.ucache\\.benchmarks\\..*Benchmark\\..*");
    }
    // The command that measured: --report-only rewrites a report from its results (give it the
    // same mode flags as that run).
    List<String> measuring = new ArrayList<>(List.of(args));
    measuring.remove("--report-only");
    measuring.remove("--counts-only");
    String command = "java -jar cache-benchmarks/target/ucache-benchmarks.jar"
        + (measuring.isEmpty() ? "" : " " + String.join(" ", measuring));
    return new Settings(quick, docs, results, includes, reportOnly, countsOnly, command);
  }

  private static String argument(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static void runJmh(Settings settings, Path jmhJson) throws RunnerException {
    ChainedOptionsBuilder options = new OptionsBuilder()
        .forks(settings.forks())
        .warmupIterations(settings.warmups())
        .warmupTime(settings.warmupTime())
        .measurementIterations(settings.measurements())
        .measurementTime(settings.measurementTime())
        .timeout(TimeValue.minutes(2))
        .jvmArgsAppend(JVM_ARGS.toArray(String[]::new))
        .addProfiler(GCProfiler.class)
        .resultFormat(ResultFormatType.JSON)
        .result(jmhJson.toString());
    settings.includes().forEach(options::include);
    new Runner(options.build()).run();
  }

  private static Report.RunInfo runInfo(Settings settings) {
    Map<String, String> machine = new LinkedHashMap<>();
    machine.put("CPU", cpuModel().orElse(System.getProperty("os.arch")));
    machine.put("Cores (available to the JVM)",
        Integer.toString(Runtime.getRuntime().availableProcessors()));
    machine.put("Memory", memory());
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    machine.put("Load average when the report was written", load < 0 ? "unknown"
        : String.format(Locale.ROOT, "%.1f (a quiet machine shows less than its cores)", load));
    machine.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version")
        + " (" + System.getProperty("os.arch") + ")");
    machine.put("JDK", System.getProperty("java.vm.vendor") + " "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    String date = ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME);
    return new Report.RunInfo(date, settings.command(), settings.describe(), machine);
  }

  private static Optional<String> cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String memory() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return (os.getTotalMemorySize() >> 20) / 1024.0 > 0
          ? String.format(Locale.ROOT, "%.1f GiB", os.getTotalMemorySize() / (double) (1L << 30))
          : "unknown";
    }
    return "unknown";
  }

  /** The performance notes kept with the suite, appended to every report. */
  private static String notes() throws IOException {
    try (InputStream in = BenchmarkSuite.class.getResourceAsStream("notes.md")) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

}
