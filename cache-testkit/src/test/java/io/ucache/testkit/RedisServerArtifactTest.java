package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The fallback when {@code redis-server} is not on PATH: the binary shipped in the embedded-redis
 * artifact, forced here whatever PATH holds, runs a server that the RESP client talks to.
 */
class RedisServerArtifactTest {

  @Test
  void artifactBinary_withoutPath_startsServerThatSetsAndGets() throws IOException {
    String binary = RedisServerExtension.redisServer(false);
    assertThat(Path.of(binary)).isExecutable();
    assertThat(binary).isEqualTo(RedisServerExtension.artifactBinary());
    RedisServerExtension server = RedisServerExtension.withBinary(binary);

    server.startOnFreePort();
    try {
      assertThat(server.port()).isNotEqualTo(6379);
      assertThat(server.cli("SET", "k", "välue")).isEqualTo("OK");
      assertThat(server.cli("GET", "k")).isEqualTo("välue");
      assertThat(server.cli("GET", "missing")).isEmpty();
      assertThat(server.cli("INCRBY", "n", "41")).isEqualTo("41");
      assertThat(server.cli("RPUSH", "list", "a", "b")).isEqualTo("2");
      assertThat(server.cli("LRANGE", "list", "0", "-1")).isEqualTo("a\nb");
      assertThat(server.cli("--scan", "--pattern", "l*")).isEqualTo("list");
      assertThat(server.cli("NOSUCHCOMMAND")).startsWith("ERR ");
      assertThat(server.cli("INFO", "server")).contains("redis_version:6.2");
    } finally {
      server.stopAndDelete();
    }
    assertThatThrownBy(() -> server.cli("PING")).isInstanceOf(RuntimeException.class);
  }

  @Test
  void artifactBinary_calledTwice_extractsOnce() {
    assertThat(RedisServerExtension.artifactBinary())
        .isEqualTo(RedisServerExtension.artifactBinary());
    assertThat(Files.isExecutable(Path.of(RedisServerExtension.artifactBinary()))).isTrue();
  }

  @Test
  void artifactResource_knownPlatforms_nameShippedBinaries() {
    assertThat(RedisServerExtension.artifactResource("Linux", "amd64"))
        .isEqualTo("redis-server-6.2.6-v5-linux-amd64");
    assertThat(RedisServerExtension.artifactResource("Linux", "aarch64"))
        .isEqualTo("redis-server-6.2.7-linux-arm64");
    assertThat(RedisServerExtension.artifactResource("Mac OS X", "aarch64"))
        .isEqualTo("redis-server-6.2.6-v5-darwin-arm64");
    assertThat(RedisServerExtension.artifactResource("Mac OS X", "x86_64"))
        .isEqualTo("redis-server-6.2.6-v5-darwin-amd64");
    assertThat(RedisServerExtension.artifactResource("SunOS", "sparcv9")).isNull();
  }

  @Test
  void withUser_authenticatesEveryCommand() throws IOException {
    RedisServerExtension server = RedisServerExtension.withUser("alice", "s3cret");

    server.startOnFreePort();
    try {
      assertThat(server.cli("SET", "k", "v")).isEqualTo("OK");
      assertThat(server.cli("ACL", "WHOAMI")).isEqualTo("alice");
    } finally {
      server.stopAndDelete();
    }
  }
}
