package io.ucache.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis Cluster of three masters (no replicas) for a test class: three cluster-enabled
 * {@code redis-server}s on free ports, joined by {@code redis-cli --cluster create}, stopped after
 * the class. Like {@link RedisServerExtension}, it never skips and never uses port 6379.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension cluster = RedisClusterExtension.create();
 * }</pre>
 *
 * <p>Thread-safe for the getters after start. <b>Nulls:</b> none accepted or returned.
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

  private final List<RedisServerExtension> nodes = new ArrayList<>();
  private int classes;

  private RedisClusterExtension() {
    for (int i = 0; i < 3; i++) {
      nodes.add(RedisServerExtension.withArgs("--cluster-enabled", "yes",
          "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
    }
  }

  /** Three masters, no replicas. */
  public static RedisClusterExtension create() {
    return new RedisClusterExtension();
  }

  @Override
  public synchronized void beforeAll(ExtensionContext context) throws Exception {
    if (classes++ > 0) {
      return;
    }
    for (RedisServerExtension node : nodes) {
      node.startOnFreePort();
    }
    List<String> create = new ArrayList<>(List.of(RedisServerExtension.binary("redis-cli"),
        "--cluster", "create"));
    for (RedisServerExtension node : nodes) {
      create.add("127.0.0.1:" + node.port());
    }
    create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    String output = RedisServerExtension.run(create);
    if (!output.contains("[OK] All 16384 slots covered")) {
      throw new IllegalStateException("redis-cli --cluster create failed:\n" + output);
    }
    long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
    for (RedisServerExtension node : nodes) {
      while (!node.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
        if (System.nanoTime() - deadline > 0) {
          throw new IllegalStateException("the cluster did not form: " + node.cli("CLUSTER",
              "INFO"));
        }
        Thread.onSpinWait();
      }
    }
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) throws IOException {
    if (--classes > 0) {
      return;
    }
    for (RedisServerExtension node : nodes) {
      node.stopAndDelete();
    }
  }

  /** The nodes, each a master. */
  public List<RedisServerExtension> nodes() {
    return List.copyOf(nodes);
  }

  /** Every node's URL, comma-separated: a {@code redis.url} for the cluster. */
  public String url() {
    return String.join(",", nodes.stream().map(RedisServerExtension::url).toList());
  }
}
