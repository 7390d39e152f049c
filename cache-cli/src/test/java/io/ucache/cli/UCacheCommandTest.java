package io.ucache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfigException;
import io.ucache.CacheSerializationException;
import io.ucache.EngineUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code ucache} in this JVM through {@link UCacheCommand#run}, capturing its output and exit
 * code. Every invocation starts and closes its own engine, as a real one does in its own process;
 * with the in-memory engine nothing survives from one invocation to the next.
 */
class UCacheCommandTest {

  private static final String SECRET = "hunter2";

  record Result(int exitCode, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  private static Result run(String... args) {
    return run(Map.of(), new Properties(), args);
  }

  private static Result run(Map<String, String> environment, Properties properties,
      String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Charset charset = Charset.defaultCharset();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, charset);
        PrintStream errStream = new PrintStream(err, true, charset)) {
      code = UCacheCommand.run(args, outStream, errStream, environment, properties);
    }
    return new Result(code, out.toString(charset), err.toString(charset));
  }

  @Nested
  class Engines {

    @Test
    void engines_table_listsCaffeineAvailableWithItsCapabilities() {
      Result result = run("engines");

      assertThat(result.exitCode()).isZero();
      assertThat(result.err()).isEmpty();
      List<String> lines = result.out().lines().toList();
      assertThat(lines.get(0).split("\\s+"))
          .containsExactly("NAME", "PRIORITY", "CAPABILITIES", "AVAILABLE");
      assertThat(lines).anySatisfy(line -> assertThat(line.split("\\s+"))
          .containsExactly("caffeine", "100", "in-process,per-entry-ttl,bulk", "yes"));
    }

    @Test
    void engines_table_showsWhyAnEngineIsUnavailable() {
      Result result = run("engines");

      assertThat(result.out().lines())
          .anySatisfy(line -> assertThat(line).startsWith("offline ")
              .endsWith("no: " + TestEngines.Offline.REASON));
    }

    @Test
    void engines_json_isAnArrayOfEngineObjects() {
      Result result = run("engines", "--json");

      assertThat(result.exitCode()).isZero();
      assertThat(result.err()).isEmpty();
      Object parsed = MiniJson.parse(result.out());
      assertThat(parsed).isInstanceOf(List.class);
      List<Object> engines = MiniJson.asArray(parsed);
      assertThat(engines).allSatisfy(engine -> assertThat(MiniJson.asObject(engine))
          .containsOnlyKeys("name", "available", "reason", "capabilities", "priority"));
      Map<String, Object> caffeine = engineNamed(engines, "caffeine");
      assertThat(caffeine.get("available")).isEqualTo(Boolean.TRUE);
      assertThat(caffeine.get("reason")).isEqualTo(MiniJson.Null.NULL);
      assertThat(MiniJson.asArray(caffeine.get("capabilities")))
          .containsExactly("in-process", "per-entry-ttl", "bulk");
      assertThat(caffeine.get("priority")).isEqualTo(100.0);
    }

    @Test
    void engines_json_escapesTheReasonOfAnUnavailableEngine() {
      Map<String, Object> offline =
          engineNamed(MiniJson.asArray(MiniJson.parse(run("engines", "--json").out())), "offline");

      assertThat(offline.get("available")).isEqualTo(Boolean.FALSE);
      assertThat(offline.get("reason")).isEqualTo(TestEngines.Offline.REASON);
    }

    private Map<String, Object> engineNamed(List<Object> engines, String name) {
      return engines.stream().map(MiniJson::asObject).filter(e -> name.equals(e.get("name")))
          .findFirst().orElseThrow(() -> new AssertionError(name + " not in " + engines));
    }
  }

  @Nested
  class Commands {

    @Test
    void put_exitsZeroAndNotesThatTheEntryDiesWithTheProcess() {
      Result result = run("put", "users", "42", "Ada");

      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).isEmpty();
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("ucache: note: engine 'caffeine' keeps entries in this process only");
    }

    @Test
    void put_withTtl_exitsZero() {
      // --ttl asks for an engine with per-entry-ttl, which also builds caffeine's caches with expiry.
      assertThat(run("put", "users", "42", "Ada", "--ttl", "10m").exitCode()).isZero();
      assertThat(run("put", "--ttl", "PT1H", "users", "42", "Ada").exitCode()).isZero();
    }

    @Test
    void get_onAFreshEngine_exitsOnePrintingNothing() {
      Result result = run("get", "users", "42");

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.out()).isEmpty();
      assertThat(result.err()).isEmpty();
    }

    @Test
    void evict_missingKey_exitsZero() {
      Result result = run("evict", "users", "42");

      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).isEmpty();
      assertThat(result.err()).isEmpty();
    }

    @Test
    void clear_emptyCache_exitsZero() {
      Result result = run("clear", "users");

      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).isEmpty();
      assertThat(result.err()).isEmpty();
    }

    @Test
    void keys_emptyCache_printsNothing() {
      Result result = run("keys", "users");

      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).isEmpty();
      assertThat(result.err()).isEmpty();
    }

    @Test
    void stats_freshCache_printsWhatTheStoreHolds() {
      Result result = run("stats", "users");

      assertThat(result.exitCode()).isZero();
      assertThat(result.err()).isEmpty();
      assertThat(result.out().lines().map(line -> line.replaceAll("\\s{2,}", "=")))
          .containsExactly("entries=0", "unreadable=0");
    }

    @Test
    void explicitCaffeine_overridesTheEnvironment() {
      Result result = run(Map.of("UCACHE_ENGINE", "nope"), new Properties(),
          "--engine", "caffeine", "get", "users", "42");

      assertThat(result.exitCode()).isEqualTo(1);
      assertThat(result.err()).isEmpty();
    }
  }

  @Nested
  class Errors {

    @Test
    void unknownEngine_exitsTwoWithOneLineNamingTheInstalledEngines() {
      Result result = run("--engine", "nope", "get", "c", "k");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.out()).isEmpty();
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("ucache: Unknown engine 'nope'.")
          .contains("Installed engines: caffeine");
    }

    @Test
    void unknownEngine_afterTheCommand_exitsTwo() {
      Result result = run("get", "c", "k", "--engine", "nope");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines()).singleElement().asString().contains("'nope'");
    }

    @Test
    void unknownEngine_fromTheEnvironment_exitsTwo() {
      Result result = run(Map.of("UCACHE_ENGINE", "nope"), new Properties(), "get", "c", "k");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines()).singleElement().asString().contains("caffeine");
    }

    @Test
    void unavailableEngine_exitsThree() {
      Result result = run("--engine", "offline", "get", "c", "k");

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("ucache: Engine 'offline' is not available");
    }

    @Test
    void engineThatFailsToStart_exitsThree() {
      Result result = run("--engine", "broken", "keys", "c");

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("ucache: Engine 'broken' failed to start").contains("disk on fire");
    }

    @Test
    void unknownConfigKey_exitsTwoNamingTheKey() {
      Result result = run("--config", "tll=10m", "get", "c", "k");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines()).singleElement().asString()
          .startsWith("ucache: Unknown configuration key 'tll'").contains("did you mean 'ttl'");
    }

    @Test
    void badConfigValue_exitsTwoNamingTheKey() {
      Result result = run("get", "c", "k", "--config", "max-size=lots");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines()).singleElement().asString().contains("'max-size'");
    }

    @Test
    void badEnvironmentVariableAndSystemProperty_exitTwoNamingThem() {
      Result fromEnvironment = run(Map.of("UCACHE_TTL", "soon"), new Properties(), "keys", "c");
      Properties properties = new Properties();
      properties.setProperty("ucache.max-size", "lots");
      Result fromProperty = run(Map.of(), properties, "keys", "c");

      assertThat(fromEnvironment.exitCode()).isEqualTo(2);
      assertThat(fromEnvironment.errLines()).singleElement().asString().contains("UCACHE_TTL");
      assertThat(fromProperty.exitCode()).isEqualTo(2);
      assertThat(fromProperty.errLines()).singleElement().asString().contains("ucache.max-size");
    }

    @Test
    void configWithoutEquals_isAUsageErrorThatDoesNotEchoTheArgument() {
      Result result = run("--config", SECRET, "get", "c", "k");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines()).hasSize(1);
      assertThat(result.errLines().get(0)).contains("KEY=VALUE").endsWith("see 'ucache --help'");
      assertThat(result.err()).doesNotContain(SECRET);
    }

    @Test
    void badTtl_exitsTwoNamingTheValue() {
      Result result = run("put", "c", "k", "v", "--ttl", "soon");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.out()).isEmpty();
      assertThat(result.errLines().get(0)).contains("--ttl").contains("'soon'");
      assertThat(result.errLines()).hasSize(1);
      assertThat(result.errLines().get(0)).endsWith("; see 'ucache put --help'");
    }

    @Test
    void zeroTtl_exitsTwo() {
      Result result = run("put", "c", "k", "v", "--ttl", "0s");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines().get(0)).contains("not a positive duration");
    }

    @Test
    void secrets_neverAppearInErrors() {
      List<Result> results = List.of(
          run("--config", "redis.password=" + SECRET, "--config", "ttl=bogus", "get", "c", "k"),
          run("--verbose", "--config", "redis.password=" + SECRET, "--config", "ttl=bogus",
              "get", "c", "k"),
          run("--config", "redis.password=" + SECRET, "--engine", "nope", "--verbose",
              "get", "c", "k"),
          run("--config", "redis.url=http://user:" + SECRET + "@localhost:6379",
              "--verbose", "get", "c", "k"),
          run("--config", "redis.url=redis://user:" + SECRET + "@localhost:6379",
              "--engine", "nope", "--verbose", "get", "c", "k"),
          run(Map.of("UCACHE_REDIS_PASSWORD", SECRET, "UCACHE_TIMEOUT", "-1s"), new Properties(),
              "--verbose", "keys", "c"));

      assertThat(results).allSatisfy(result -> {
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.out()).doesNotContain(SECRET);
        assertThat(result.err()).isNotEmpty().doesNotContain(SECRET);
      });
    }

    @Test
    void secretTypedAfterItsKeyWithoutEquals_neverEchoed() {
      // "S3cret" and "gett" both look enough like a command for picocli to suggest one.
      for (String secret : List.of("S3cret", "gett", "stat", "keyz")) {
        for (List<String> args : List.of(
            List.of("--config", "redis.password", secret, "get", "c", "k"),
            List.of("--config=redis.password", secret, "get", "c", "k"),
            List.of("get", "--config", "redis.password", secret, "c", "k"))) {
          Result result = run(args.toArray(new String[0]));

          assertThat(result.exitCode()).as("%s", args).isEqualTo(2);
          assertThat(result.err()).as("%s", args).isNotEmpty().doesNotContain(secret);
          assertThat(result.out()).doesNotContain(secret);
        }
      }
    }

    @Test
    void verbose_printsTheStackTrace() {
      Result quiet = run("--engine", "nope", "get", "c", "k");
      Result verbose = run("--verbose", "--engine", "nope", "get", "c", "k");

      assertThat(quiet.err()).doesNotContain("\tat ");
      assertThat(verbose.exitCode()).isEqualTo(2);
      assertThat(verbose.errLines().get(0)).isEqualTo(quiet.errLines().get(0));
      assertThat(verbose.err()).contains("\tat io.ucache.")
          .contains("Caused by: io.ucache.EngineUnavailableException");
    }

    @Test
    void missingCommand_exitsTwoWithAHint() {
      Result result = run();

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines()).containsExactly(
          "ucache: Missing a command: engines, put, get, evict, clear, keys or stats; "
              + "see 'ucache --help'");
    }

    @Test
    void unknownCommand_exitsTwoWithASuggestionAndAHint() {
      Result result = run("gett", "c", "k");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines()).hasSize(1);
      assertThat(result.errLines().get(0)).startsWith("ucache: ").contains("gett")
          .contains("did you mean get");
    }

    @Test
    void missingArgument_exitsTwoWithOneLineAndAHint() {
      Result result = run("put", "c", "k");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines()).containsExactly(
          "ucache: Missing required parameter: 'VALUE'; see 'ucache put --help'");
    }

    @Test
    void blankCacheName_exitsTwo() {
      Result result = run("keys", " ");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines().get(0)).isEqualTo("ucache: The cache name cannot be blank; see 'ucache keys --help'");
    }

    @Test
    void exitCodes_followTheKindOfFailure() {
      ErrorReporter reporter = new ErrorReporter();

      assertThat(reporter.getExitCode(new CacheConfigException("ttl", "bad"))).isEqualTo(2);
      assertThat(reporter.getExitCode(new EngineUnavailableException("redis", "down")))
          .isEqualTo(3);
      assertThat(reporter.getExitCode(new CacheSerializationException("odd bytes"))).isEqualTo(4);
      assertThat(reporter.getExitCode(new IllegalStateException("bug"))).isEqualTo(4);
    }

    @Test
    void unknownOption_exitsTwoWithoutTheUsageDump() {
      Result result = run("get", "c", "k", "--colour");

      assertThat(result.exitCode()).isEqualTo(2);
      assertThat(result.errLines()).containsExactly(
          "ucache: unknown option --colour (did you mean --config?); see 'ucache get --help'");
    }

    @Test
    void misplacedSecret_isNeverEchoed() {
      Result spaced = run("get", "c", "k", "--config", "redis.password", SECRET);
      Result misspelt = run("--confg", "redis.password=" + SECRET, "get", "c", "k");

      assertThat(spaced.exitCode()).isEqualTo(2);
      assertThat(misspelt.exitCode()).isEqualTo(2);
      assertThat(spaced.err() + misspelt.err()).doesNotContain(SECRET);
      assertThat(misspelt.errLines()).hasSize(1);
      assertThat(misspelt.errLines().get(0)).contains("--confg");
    }
  }

  @Nested
  class Help {

    @Test
    void help_listsTheCommandsOptionsAndExitCodes() {
      Result result = run("--help");

      assertThat(result.exitCode()).isZero();
      assertThat(result.err()).isEmpty();
      assertThat(result.out()).startsWith("Usage: ucache")
          .contains("--engine=NAME", "--config=KEY=VALUE", "--verbose", "--version")
          .contains("engines", "put", "get", "evict", "clear", "keys", "stats")
          .contains("Exit codes:");
    }

    @Test
    void help_ofACommand_showsTheGlobalOptionsToo() {
      Result result = run("get", "--help");

      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).startsWith("Usage: ucache get").contains("CACHE", "KEY",
          "--engine=NAME");
    }

    @Test
    void version_printsTheToolAndJavaVersions() {
      Result result = run("--version");

      assertThat(result.exitCode()).isZero();
      assertThat(result.out()).startsWith("ucache ").contains("Java ");
    }
  }
}
