package io.ucache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes on one folder, and a writer killed with SIGKILL in the middle of a burst of
 * writes: every put that returned before the kill is there, in the engine that stayed open and
 * in one opened afterwards, and nothing reads wrong. {@code reliability.crash-cycles} rounds
 * (2 in {@code mvn verify}, 20 with {@code -Psoak}).
 */
class SqliteProcessTest {

  private static final int ROUNDS = Integer.getInteger("reliability.crash-cycles", 2);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path temp;

  @Test
  void writerKilledMidBurst_everyAcknowledgedWriteIsThere_inEveryProcess() throws Exception {
    Path folder = temp.resolve("shared");
    try (CacheEngine reader = open(folder)) {
      Cache<String, String> seen = reader.cache("burst", String.class, String.class);
      for (int round = 0; round < ROUNDS; round++) {
        seen.clear();
        long acknowledged;
        try (ChildJvm writer = ChildJvm.start(temp.resolve("writer-" + round + ".stderr"),
            WriterProcess.class, folder.toString())) {
          writer.line("ready", WAIT);
          // The reader, in this process, sees the other process's writes while it writes.
          writer.line("ack 200", WAIT);
          assertThat(seen.get("key-200")).isEqualTo("value-200");
          writer.line("ack 500", WAIT);
          writer.process().destroyForcibly(); // SIGKILL, in the middle of the burst
          writer.process().waitFor();
          acknowledged = lastAcknowledged(writer, 500);
        }
        try (CacheEngine reopened = open(folder)) {
          Cache<String, String> after = reopened.cache("burst", String.class, String.class);
          List<String> wrong = new ArrayList<>();
          for (long i = 0; i <= acknowledged; i++) {
            String key = "key-" + i;
            if (!("value-" + i).equals(after.get(key)) || !("value-" + i).equals(seen.get(key))) {
              wrong.add(key + "=" + after.get(key) + "/" + seen.get(key));
            }
          }
          assertThat(wrong).as("acknowledged writes lost or wrong, round " + round).isEmpty();
          System.out.printf("sqlite kill -9, round %d: %,d writes acknowledged before the kill, "
              + "all read back%n", round, acknowledged + 1);
          assertThat(after.stats().errorCount()).isZero();
        }
      }
    }
  }

  /** The last {@code ack <i>} the writer printed before it died, {@code seen} or later. */
  private static long lastAcknowledged(ChildJvm writer, long seen) throws InterruptedException {
    long last = seen;
    while (true) {
      String line;
      try {
        line = writer.line("ack ", Duration.ofMillis(200));
      } catch (AssertionError dead) {
        return last; // no line left: the process is gone and its output read
      }
      last = Long.parseLong(line.substring(4));
    }
  }

  private static CacheEngine open(Path folder) {
    return EngineManager.getDefault().create(CacheConfig.builder().engine("sqlite")
        .set(SqliteSettings.FOLDER, folder.toString()).stats(true).build());
  }
}
