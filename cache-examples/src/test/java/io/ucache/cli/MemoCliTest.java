package io.ucache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memo engine (cache-examples) from the {@code ucache} tool: its {@code store.path} from
 * {@code --config} keeps an entry between two invocations; a misspelled key exits 2. In this
 * package to call the tool in-process.
 */
class MemoCliTest {

  @TempDir
  Path store;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    out.reset();
    err.reset();
    return UCacheCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), new Properties());
  }

  @Test
  void configOption_storePath_keepsTheEntryBetweenInvocations() {
    assertThat(run("--engine", "memo", "--config", "store.path=" + store, "put", "notes", "k",
        "v")).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(store.resolve("notes.properties")).isRegularFile();

    assertThat(run("--engine", "memo", "--config", "store.path=" + store, "get", "notes", "k"))
        .as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).trim()).isEqualTo("v");
  }

  @Test
  void configOption_misspelledEngineKey_exitsTwoSuggestingIt() {
    assertThat(run("--engine", "memo", "--config", "store.pth=" + store, "get", "notes", "k"))
        .isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("store.pth")
        .contains("did you mean 'store.path'");
  }
}
