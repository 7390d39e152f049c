package io.ucache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.testkit.RedisServerExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code ucache} with the shared {@code redis} engine against a real redis-server: what one
 * invocation stores, redis-cli and another process read as plain text.
 */
class RedisCommandTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  /**
   * {@code ucache --engine redis --config redis.url=redis://127.0.0.1:PORT --config
   * redis.value-format=plain ARGS...}: plain values, so redis-cli reads what the CLI stores.
   */
  private static CliRun ucache(String... args) {
    List<String> all = new ArrayList<>(List.of("--engine", "redis",
        "--config", "redis.url=" + redis.url(), "--config", "redis.value-format=plain"));
    all.addAll(List.of(args));
    return CliRun.of(all);
  }

  @Test
  void put_thenRedisCliAndAnotherProcess_readThePlainValue() throws Exception {
    CliRun put = ucache("put", "c", "k", "v");

    assertThat(put.exitCode()).as(put.err()).isZero();
    assertThat(put.err()).isEmpty();
    assertThat(redis.cli("GET", "ucache:c:k")).isEqualTo("v");
    assertThat(ucache("get", "c", "k").out()).isEqualTo("v" + System.lineSeparator());
    assertThat(forkedGet("c", "k")).isEqualTo("v");
  }

  @Test
  void framedByDefault_readBackByTheCliButNotAsPlainText() {
    List<String> args = List.of("--engine", "redis", "--config", "redis.url=" + redis.url());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      List<String> put = new ArrayList<>(args);
      put.addAll(List.of("put", "f", "k", "v"));
      assertThat(UCacheCommand.run(put.toArray(new String[0]), quiet, quiet, Map.of(),
          new Properties())).isZero();
      List<String> get = new ArrayList<>(args);
      get.addAll(List.of("get", "f", "k"));
      assertThat(UCacheCommand.run(get.toArray(new String[0]), outStream, quiet, Map.of(),
          new Properties())).isZero();
    }

    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("v" + System.lineSeparator());
    assertThat(redis.cli("GET", "ucache:f:k")).isNotEqualTo("v").contains("v");
  }

  @Test
  void clear_leavesOtherCachesAndForeignKeysAlone() {
    ucache("put", "gone", "a", "1");
    ucache("put", "gone", "b", "2");
    ucache("put", "kept", "a", "1");
    redis.cli("SET", "someone-else:gone:a", "foreign");

    assertThat(ucache("keys", "gone").out().lines()).containsExactlyInAnyOrder("a", "b");
    assertThat(ucache("stats", "gone").out().lines()).first().asString()
        .matches("entries +2");
    assertThat(ucache("clear", "gone").exitCode()).isZero();

    assertThat(ucache("keys", "gone").out()).isEmpty();
    assertThat(redis.cli("GET", "ucache:kept:a")).isEqualTo("1");
    assertThat(redis.cli("GET", "someone-else:gone:a")).isEqualTo("foreign");
  }

  @Test
  void put_withTtl_pttlSetInRedis() {
    assertThat(ucache("put", "c", "t", "v", "--ttl", "1h").exitCode()).isZero();

    assertThat(Long.parseLong(redis.cli("PTTL", "ucache:c:t"))).isBetween(3_500_000L, 3_600_000L);
  }

  @Test
  void serverDown_exitsThreeWithoutHanging() {
    List<String> args = List.of("--engine", "redis", "--config", "redis.url=redis://127.0.0.1:1",
        "--config", "timeout=300ms", "get", "c", "k");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream outStream = new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8)) {
      code = UCacheCommand.run(args.toArray(new String[0]), outStream, errStream, Map.of(),
          new Properties());
    }

    assertThat(code).isEqualTo(3);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("ucache: ")
        .contains("127.0.0.1:1");
  }

  @Test
  void passwordInUrl_neverPrinted() {
    List<String> args = List.of("--engine", "redis", "--config",
        "redis.url=redis://user:hunter2-secret@127.0.0.1:" + redis.port(), "get", "c", "k");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        PrintStream outStream = new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8)) {
      UCacheCommand.run(args.toArray(new String[0]), outStream, errStream, Map.of(),
          new Properties());
    }

    assertThat(err.toString(StandardCharsets.UTF_8)).isNotEmpty()
        .doesNotContain("hunter2-secret");
  }

  @Test
  void engines_listsRedisWithItsCapabilities() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8)) {
      UCacheCommand.run(new String[] {"engines"}, outStream, errStream, Map.of(),
          new Properties());
    }

    assertThat(out.toString(StandardCharsets.UTF_8).lines()).anySatisfy(line ->
        assertThat(line.split("\\s+")).containsExactly("redis", "10",
            "shared,distributed,per-entry-ttl,native-async,bulk", "yes"));
  }

  /** {@code ucache ... get CACHE KEY} in a forked JVM, on this test's class path. */
  private static String forkedGet(String cache, String key) throws IOException,
      InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        UCacheCommand.class.getName(), "--engine", "redis", "--config",
        "redis.url=" + redis.url(), "--config", "redis.value-format=plain", "get", cache, key)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    return out.trim();
  }
}
