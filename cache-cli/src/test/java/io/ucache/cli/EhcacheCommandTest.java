package io.ucache.cli;

import io.ucache.ehcache.EhcacheSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ucache} with the persistent {@code ehcache} engine, in this JVM through
 * {@link UCacheCommand#run}: every invocation opens the engine on the folder and closes it before
 * it returns, as a real {@code ucache} process does, so what one invocation stores the next reads
 * back from disk.
 */
class EhcacheCommandTest {

  @TempDir
  Path temp;

  record Result(int exitCode, String out, String err) {}

  /** {@code ucache --engine ehcache --config folder=<temp>/folder ARGS...}. */
  private Result ucache(String... args) {
    List<String> all = new ArrayList<>(List.of("--engine", "ehcache",
        "--config", "folder=" + temp.resolve("folder")));
    all.addAll(List.of(args));
    return run(all.toArray(new String[0]));
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Charset charset = Charset.defaultCharset();
    int code;
    try (PrintStream outStream = new PrintStream(out, true, charset);
        PrintStream errStream = new PrintStream(err, true, charset)) {
      code = UCacheCommand.run(args, outStream, errStream, Map.of(), new Properties());
    }
    return new Result(code, out.toString(charset), err.toString(charset));
  }

  @Test
  void put_thenGetInAnotherInvocation_printsTheValue() {
    Result put = ucache("put", "c", "k", "v");

    assertThat(put.exitCode()).isZero();
    assertThat(put.err()).as("no note that entries die with the process").isEmpty();
    Result get = ucache("get", "c", "k");
    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).isEqualTo("v" + System.lineSeparator());
    assertThat(get.err()).isEmpty();
  }

  @Test
  void keysEvictClearStats_acrossInvocations_seeWhatEarlierOnesStored() {
    ucache("put", "c", "a", "1");
    ucache("put", "c", "b", "2", "--ttl", "1h");
    ucache("put", "other", "a", "1");

    assertThat(ucache("keys", "c").out().lines()).containsExactlyInAnyOrder("a", "b");
    assertThat(ucache("evict", "c", "a").exitCode()).isZero();
    assertThat(ucache("get", "c", "a").exitCode()).isEqualTo(1);
    assertThat(ucache("clear", "c").exitCode()).isZero();
    assertThat(ucache("keys", "c").out()).isEmpty();
    assertThat(ucache("get", "other", "a").out()).isEqualTo("1" + System.lineSeparator());
    assertThat(ucache("put", "c", "x", "1").exitCode()).isZero();
    assertThat(ucache("put", "c", "y", "2").exitCode()).isZero();
    assertThat(ucache("stats", "c").out().lines().map(line -> line.replaceAll("\\s{2,}", "=")))
        .as("what the folder holds, counted by another invocation")
        .containsExactly("entries=2", "unreadable=0");
  }

  @Test
  void engines_listsEhcacheWithItsCapabilities() {
    Result result = run("engines");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines()).anySatisfy(line -> assertThat(line.split("\\s+"))
        .containsExactly("ehcache", "50", "persistent,per-entry-ttl,bulk", "yes"));
  }

  @Test
  void folderOpenElsewhere_exitsThreeSayingItIsInUse() {
    CacheConfig config = CacheConfig.builder().engine("ehcache")
        .set(EhcacheSettings.FOLDER, temp.resolve("folder").toString()).build();
    try (CacheEngine holder = EngineManager.getDefault().create(config)) {
      Result result = ucache("get", "c", "k");

      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.err().lines()).singleElement().asString()
          .startsWith("ucache: ").contains("is in use");
      assertThat(holder.isClosed()).isFalse();
    }
  }

  @Test
  void folderNameLeavingBaseDir_exitsTwoNamingIt() {
    Result result = run("--engine", "ehcache", "--config", "base-dir=" + temp,
        "--config", "folder=../x", "get", "c", "k");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err().lines()).singleElement().asString().contains("'../x'");
  }
}
