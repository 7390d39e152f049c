package io.ucache.testkit;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Sentinel setup for a test class: one master, one replica and one Sentinel watching them
 * as {@value #MASTER}, each a {@code redis-server} on a free port, stopped after the class. Tests
 * can {@link #failover()} to promote the replica. It never skips and never uses port 6379.
 *
 * <p>Thread-safe for the getters after start. <b>Nulls:</b> none accepted or returned.
 */
public final class RedisSentinelExtension implements BeforeAllCallback, AfterAllCallback {

  /** The name the Sentinel knows the master by. */
  public static final String MASTER = "mymaster";
  private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

  private final RedisServerExtension master = RedisServerExtension.create();
  private RedisServerExtension replica = RedisServerExtension.create();
  private RedisServerExtension sentinel = RedisServerExtension.create();
  private int classes;

  private RedisSentinelExtension() {}

  public static RedisSentinelExtension create() {
    return new RedisSentinelExtension();
  }

  @Override
  public synchronized void beforeAll(ExtensionContext context) throws Exception {
    if (classes++ > 0) {
      return;
    }
    master.startOnFreePort();
    replica = RedisServerExtension.withArgs("--replicaof", "127.0.0.1",
        Integer.toString(master.port()));
    replica.startOnFreePort();
    sentinel = RedisServerExtension.sentinel("sentinel monitor " + MASTER + " 127.0.0.1 "
        + master.port() + " 1\n"
        + "sentinel down-after-milliseconds " + MASTER + " 1000\n"
        + "sentinel failover-timeout " + MASTER + " 3000\n");
    sentinel.startOnFreePort();
    awaitState("the replica is in sync and known to the Sentinel", () ->
        replica.cli("INFO", "replication").contains("master_link_status:up")
            && sentinel.cli("SENTINEL", "REPLICAS", MASTER).contains(
                Integer.toString(replica.port())));
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) throws IOException {
    if (--classes > 0) {
      return;
    }
    sentinel.stopAndDelete();
    replica.stopAndDelete();
    master.stopAndDelete();
  }

  /** {@code redis-sentinel://127.0.0.1:PORT#mymaster}: a {@code redis.url} for this setup. */
  public String url() {
    return "redis-sentinel://127.0.0.1:" + sentinel.port() + "#" + MASTER;
  }

  /** The server that is master when the class starts. */
  public RedisServerExtension master() {
    return master;
  }

  /** The server that is a replica when the class starts. */
  public RedisServerExtension replica() {
    return replica;
  }

  /** The Sentinel itself (a {@code redis-server --sentinel}), e.g. to count its clients. */
  public RedisServerExtension sentinel() {
    return sentinel;
  }

  /** The port of the current master, as the Sentinel reports it. */
  public int masterPort() {
    String[] reply = sentinel.cli("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER).split("\\s+");
    return Integer.parseInt(reply[reply.length - 1]);
  }

  /**
   * Forces a failover and waits until the Sentinel reports the other server as master. Writes
   * acknowledged before the call survive it: replication is asynchronous, so the call first
   * waits until the replica's replication offset has reached the master's. (Redis's
   * {@code WAIT} would not do: it waits for the writes of the connection that sends it.)
   */
  public void failover() {
    int before = masterPort();
    boolean masterIsFirst = before == master.port();
    RedisServerExtension current = masterIsFirst ? master : replica;
    RedisServerExtension other = masterIsFirst ? replica : master;
    // After an earlier failover the demoted master must be a linked replica the Sentinel
    // knows again, or the Sentinel refuses (NOGOODSLAVE) or is still busy (INPROG).
    awaitState("the other server is a replica in sync with the master", () ->
        other.cli("INFO", "replication").contains("master_link_status:up"));
    long written = replicationField(current, "master_repl_offset");
    awaitState("the replica has every write the master acknowledged", () ->
        replicationField(other, "slave_repl_offset") >= written);
    awaitState("the Sentinel accepts the failover", () ->
        sentinel.cli("SENTINEL", "FAILOVER", MASTER).startsWith("OK"));
    awaitState("the Sentinel reports a new master", () -> masterPort() != before
        && currentMaster().cli("INFO", "replication").contains("role:master"));
  }

  /** The server that is master now, as the Sentinel reports it. */
  public RedisServerExtension currentMaster() {
    return masterPort() == master.port() ? master : replica;
  }

  /** A numeric field of {@code INFO replication}, or -1 while the server does not report it. */
  private static long replicationField(RedisServerExtension server, String field) {
    for (String line : server.cli("INFO", "replication").split("\\R")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim());
      }
    }
    return -1;
  }

  /** A server the Sentinel reconfigures drops its clients: a reset is "not yet", not an error. */
  private static boolean holds(java.util.function.BooleanSupplier condition) {
    try {
      return condition.getAsBoolean();
    } catch (java.io.UncheckedIOException e) {
      return false;
    }
  }

  private static void awaitState(String what, java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
    while (!holds(condition)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }
}
