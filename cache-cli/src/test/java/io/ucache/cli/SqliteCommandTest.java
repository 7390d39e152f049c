package io.ucache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.sqlite.SqliteSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ucache} with the {@code sqlite} engine on a folder that a running application keeps
 * open: the tool reads, lists, counts and evicts its entries while the application goes on, and
 * the application sees what the tool did.
 */
class SqliteCommandTest {

  @TempDir
  Path temp;

  /** {@code ucache --engine sqlite --config folder=<temp>/folder ARGS...}. */
  private CliRun ucache(String... args) {
    List<String> all = new ArrayList<>(List.of("--engine", "sqlite",
        "--config", "folder=" + temp.resolve("folder")));
    all.addAll(List.of(args));
    return CliRun.of(all);
  }

  @Test
  void folderOfARunningApplication_getKeysStatsEvict_whileItKeepsRunning() {
    CacheConfig config = CacheConfig.builder().engine("sqlite")
        .set(SqliteSettings.FOLDER, temp.resolve("folder").toString()).build();
    try (CacheEngine application = EngineManager.getDefault().create(config)) {
      Cache<String, String> users = application.cache("users", String.class, String.class);
      users.put("alice", "1");
      users.put("bob", "2");

      CliRun get = ucache("get", "users", "alice");
      assertThat(get.exitCode()).isZero();
      assertThat(get.out()).isEqualTo("1" + System.lineSeparator());
      assertThat(get.err()).isEmpty();
      assertThat(ucache("keys", "users").out().lines()).containsExactlyInAnyOrder("alice", "bob");
      assertThat(ucache("stats", "users").out().lines()
          .map(line -> line.replaceAll("\\s{2,}", "="))).containsExactly("entries=2",
          "unreadable=0");
      assertThat(ucache("evict", "users", "alice").exitCode()).isZero();

      assertThat(users.get("alice")).as("the application sees the tool's eviction").isNull();
      users.put("carol", "3");
      assertThat(ucache("get", "users", "carol").out()).isEqualTo("3" + System.lineSeparator());
      assertThat(application.isClosed()).isFalse();
    }
  }

  @Test
  void put_thenGetInAnotherInvocation_printsTheValue() {
    assertThat(ucache("put", "c", "k", "v", "--ttl", "1h").exitCode()).isZero();
    CliRun get = ucache("get", "c", "k");
    assertThat(get.exitCode()).isZero();
    assertThat(get.out()).isEqualTo("v" + System.lineSeparator());
  }
}
