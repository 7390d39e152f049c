package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.LogCapture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, defect 18: a plain Java process stopped with SIGTERM ({@code Process.destroy()} on
 * Linux, as {@code docker stop} and Ctrl-C do) closes its open engines in UCache's shutdown hook,
 * so the next open keeps every entry, those of an earlier clean run included.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EhcacheSigtermTest {

  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final int ENTRIES = 2_000;

  @TempDir
  Path temp;

  private Path folder;
  private final List<Process> children = new ArrayList<>();
  private final List<CacheEngine> engines = new ArrayList<>();
  @RegisterExtension
  final LogCapture logs = LogCapture.of("io.ucache.ehcache");

  @BeforeEach
  void setUp() {
    folder = temp.resolve("folder");
  }

  @AfterEach
  void tearDown() {
    engines.forEach(CacheEngine::close);
    children.forEach(Process::destroyForcibly);
  }

  private Process start(List<String> jvmOptions, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path")));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    command.addAll(jvmOptions);
    command.add(mainClass);
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command)
        .redirectError(temp.resolve("child-" + children.size() + ".stderr").toFile())
        .start();
    children.add(process);
    return process;
  }

  private static void awaitLine(Process process, String line) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    CompletableFuture<Boolean> found = CompletableFuture.supplyAsync(() -> {
      try {
        for (String next = out.readLine(); next != null; next = out.readLine()) {
          if (next.equals(line)) {
            return true;
          }
        }
        return false;
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(found.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("the child printed '%s'", line).isTrue();
  }

  private static int awaitExit(Process process) throws InterruptedException {
    assertThat(process.waitFor(AWAIT.toMillis(), TimeUnit.MILLISECONDS)).as("exited").isTrue();
    return process.exitValue();
  }

  private String stderr() throws IOException {
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < children.size(); i++) {
      Path file = temp.resolve("child-" + i + ".stderr");
      if (Files.exists(file)) {
        all.append(Files.readString(file));
      }
    }
    return all.toString();
  }

  private Cache<String, String> reopen() {
    CacheEngine engine = EngineManager.getDefault().create(ChildProcess.config(folder.toString()));
    engines.add(engine);
    return engine.cache(ChildProcess.CACHE, String.class, String.class);
  }

  /** A first, clean run writes entries; a second one writes more and is stopped by SIGTERM. */
  private void cleanRunThenSigterm(List<String> jvmOptions, String mode) throws Exception {
    Process clean = start(List.of(), ChildProcess.class.getName(), "write", folder.toString());
    awaitLine(clean, "closed");
    assertThat(awaitExit(clean)).as(stderr()).isZero();

    Process stopped = start(jvmOptions, SigtermChild.class.getName(), mode, folder.toString(),
        Integer.toString(ENTRIES));
    awaitLine(stopped, "ready");
    stopped.destroy(); // SIGTERM
    assertThat(awaitExit(stopped)).as("killed by SIGTERM (128 + 15)").isEqualTo(143);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"manager", "context"})
  void reopen_afterSigterm_keepsEveryEntryOfBothRuns(String mode) throws Exception {
    cleanRunThenSigterm(List.of(), mode);

    Cache<String, String> cache = reopen();

    assertThat(cache.get("forever")).as("written by the earlier clean run").isEqualTo("value");
    for (int i = 0; i < ENTRIES; i++) {
      assertThat(cache.get("s" + i)).as("entry s%d of the stopped run", i)
          .isEqualTo("value " + i);
    }
    assertThat(cache.stats().errorCount()).isZero();
    assertThat(logs.warnings()).as(stderr()).isEmpty();
  }

  @Test
  void reopen_afterSigtermWithTheHookTurnedOff_discardsTheFolderAsAfterAKill() throws Exception {
    cleanRunThenSigterm(List.of("-Dio.ucache.shutdownHook=false"), "manager");

    Cache<String, String> cache = reopen();

    assertThat(cache.get("forever")).isNull();
    assertThat(cache.get("s0")).isNull();
    assertThat(logs.warnings()).singleElement().satisfies(warning ->
        assertThat(warning.getMessage()).contains("not closed cleanly"));
  }
}
