package io.ucache.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Redis Cluster of three masters (no replicas) for a test class: three cluster-enabled
 * {@code redis-server}s on free ports, each given a third of the slots, joined with CLUSTER MEET
 * (what {@code redis-cli --cluster create} does, but no {@code redis-cli} is needed), stopped
 * after the class. Like {@link RedisServerExtension}, it never skips and never uses port 6379.
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
  private static final int SLOTS = 16_384;
  private static final int SLOTS_PER_COMMAND = 1_000;

  private final List<RedisServerExtension> nodes = new ArrayList<>();
  private final String[] nodeArgs;
  private int classes;

  private RedisClusterExtension(List<String> extraArgs) {
    List<String> args = new ArrayList<>(List.of("--cluster-enabled", "yes",
        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
    args.addAll(extraArgs);
    this.nodeArgs = args.toArray(new String[0]);
    for (int i = 0; i < 3; i++) {
      nodes.add(RedisServerExtension.withArgs(nodeArgs));
    }
  }

  /** Three masters, no replicas. */
  public static RedisClusterExtension create() {
    return new RedisClusterExtension(List.of());
  }

  /**
   * Three masters, no replicas, each started with {@code args} added to its command line, such
   * as {@code "--cluster-require-full-coverage", "no"} (by default a Cluster with one master
   * down refuses every command on every master, {@code CLUSTERDOWN}, once it marks the master
   * failed).
   */
  public static RedisClusterExtension withArgs(String... args) {
    return new RedisClusterExtension(List.of(args));
  }

  @Override
  public synchronized void beforeAll(ExtensionContext context) throws Exception {
    if (classes++ > 0) {
      return;
    }
    for (RedisServerExtension node : nodes) {
      node.startOnFreePort();
    }
    createCluster();
  }

  /**
   * What {@code redis-cli --cluster create} does, without {@code redis-cli}: each master gets a
   * third of the slots (CLUSTER ADDSLOTS in chunks: Redis 6.2 has no ADDSLOTSRANGE) and its own
   * config epoch, the nodes MEET, and then every node must report {@code cluster_state:ok} and
   * three masters before the deadline.
   */
  private void createCluster() throws IOException {
    int count = nodes.size();
    for (int i = 0; i < count; i++) {
      int first = SLOTS * i / count;
      int last = SLOTS * (i + 1) / count - 1;
      try (RespClient client = nodes.get(i).connect()) {
        for (int from = first; from <= last; from += SLOTS_PER_COMMAND) {
          List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
          for (int slot = from; slot <= Math.min(last, from + SLOTS_PER_COMMAND - 1); slot++) {
            command.add(Integer.toString(slot));
          }
          expectOk(client, command);
        }
        expectOk(client, List.of("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1)));
      }
    }
    try (RespClient client = nodes.get(0).connect()) {
      for (RedisServerExtension node : nodes.subList(1, count)) {
        expectOk(client, List.of("CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port())));
      }
    }
    awaitHealthy();
  }

  /**
   * Waits until every node, each alive, reports {@code cluster_state:ok} and knows every node as
   * a connected master, as after a node was restarted or added.
   *
   * @throws IllegalStateException if that does not happen within 30 seconds
   */
  public synchronized void awaitHealthy() throws IOException {
    long deadline = System.nanoTime() + FORM_TIMEOUT.toNanos();
    for (RedisServerExtension node : nodes) {
      try (RespClient client = node.connect()) {
        String info = "";
        String masters = "";
        while (!(info.contains("cluster_state:ok") && masters(masters) == nodes.size())) {
          if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("the cluster is not healthy on " + node + ":\n"
                + info + "\n" + masters);
          }
          Thread.onSpinWait();
          info = RespClient.format(client.callOk("CLUSTER", "INFO"));
          masters = RespClient.format(client.callOk("CLUSTER", "NODES"));
        }
      }
    }
  }

  /** How many connected masters, with slots or without, a CLUSTER NODES reply lists. */
  private static long masters(String clusterNodes) {
    return clusterNodes.lines()
        .map(line -> line.split(" "))
        .filter(fields -> fields.length >= 8
            && Arrays.asList(fields[2].split(",")).contains("master")
            && !fields[2].contains("fail") && !fields[2].contains("handshake")
            && fields[7].equals("connected"))
        .count();
  }

  private static void expectOk(RespClient client, List<String> command) throws IOException {
    Object reply = client.call(command);
    if (!"OK".equals(reply)) {
      throw new IllegalStateException(String.join(" ", command.subList(0, 2)) + " failed on "
          + client.host() + ":" + client.port() + ": " + RespClient.format(reply));
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

  /**
   * Starts one more node, joins it to the Cluster as a master without slots (CLUSTER MEET) and
   * waits until the Cluster is {@linkplain #awaitHealthy healthy} again; it stops with the others after the class.
   */
  public synchronized RedisServerExtension addMaster() throws IOException {
    RedisServerExtension node = RedisServerExtension.withArgs(nodeArgs);
    node.startOnFreePort();
    nodes.add(node);
    try (RespClient client = nodes.get(0).connect()) {
      expectOk(client, List.of("CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port())));
    }
    awaitHealthy();
    return node;
  }

  /**
   * Moves {@code slot}, with its keys, to {@code target}, as {@code redis-cli --cluster reshard}
   * does: IMPORTING on the target, MIGRATING on the owner, MIGRATE of its keys, then SETSLOT NODE
   * on every node.
   */
  public synchronized void moveSlot(int slot, RedisServerExtension target) throws IOException {
    String targetId = target.cli("CLUSTER", "MYID");
    RedisServerExtension source = owner(slot);
    String sourceId = source.cli("CLUSTER", "MYID");
    String slotText = Integer.toString(slot);
    try (RespClient to = target.connect(); RespClient from = source.connect()) {
      expectOk(to, List.of("CLUSTER", "SETSLOT", slotText, "IMPORTING", sourceId));
      expectOk(from, List.of("CLUSTER", "SETSLOT", slotText, "MIGRATING", targetId));
      while (from.callOk("CLUSTER", "GETKEYSINSLOT", slotText, "100")
          instanceof List<?> keys && !keys.isEmpty()) {
        List<String> migrate = new ArrayList<>(List.of("MIGRATE", "127.0.0.1",
            Integer.toString(target.port()), "", "0", "5000", "KEYS"));
        keys.forEach(key -> migrate.add(String.valueOf(key)));
        expectOk(from, migrate);
      }
    }
    for (RedisServerExtension node : nodes) {
      try (RespClient client = node.connect()) {
        expectOk(client, List.of("CLUSTER", "SETSLOT", slotText, "NODE", targetId));
      }
    }
  }

  /** The node that serves {@code slot} now. */
  private RedisServerExtension owner(int slot) {
    for (RedisServerExtension node : nodes) {
      for (String line : node.cli("CLUSTER", "NODES").lines().toList()) {
        String[] fields = line.split(" ");
        if (fields[2].contains("myself") && serves(fields, slot)) {
          return node;
        }
      }
    }
    throw new IllegalStateException("no node serves slot " + slot);
  }

  private static boolean serves(String[] clusterNodesLine, int slot) {
    for (int i = 8; i < clusterNodesLine.length; i++) {
      String range = clusterNodesLine[i];
      if (range.startsWith("[")) {
        continue; // a slot being imported or migrated
      }
      int dash = range.indexOf('-');
      int first = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
      int last = dash < 0 ? first : Integer.parseInt(range.substring(dash + 1));
      if (slot >= first && slot <= last) {
        return true;
      }
    }
    return false;
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
