package io.ucache.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code max-size} on Redis: the sorted set {@link RedisKeys#sizeIndex()} ranks a cache's keys
 * by the order the <em>server</em> saw their writes, and a write past the limit unlinks the
 * oldest. The order comes from the server alone ({@code TIME} in microseconds, raised to one
 * more than the newest score when the clock has not moved or went back), never from a client
 * clock, so writers on different hosts share one meaningful order.
 *
 * <p>One script does the ranking and the trimming atomically and touches only the index key, so
 * it runs in a Cluster too (the entries live in other slots); the keys it pops are then unlinked
 * by one {@code UNLINK}, which Lettuce splits by slot. A crash between the two leaves the popped
 * entries to their TTL, as before. Stateless and thread-safe. <b>Nulls:</b> none.
 */
final class SizeIndex {

  /**
   * KEYS[1] the index; ARGV[1] the limit; ARGV[2..] the keys just written, in write order.
   * Returns the keys popped past the limit, oldest first.
   */
  static final String TRACK =
      "local t = redis.call('TIME') "
          + "local now = tonumber(t[1]) * 1000000 + tonumber(t[2]) "
          + "local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES') "
          + "if newest[2] and tonumber(newest[2]) >= now then now = tonumber(newest[2]) + 1 end "
          + "for i = 2, #ARGV do "
          + "redis.call('ZADD', KEYS[1], string.format('%.0f', now + i - 2), ARGV[i]) end "
          + "local over = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[1]) "
          + "if over <= 0 then return {} end "
          + "local popped = redis.call('ZPOPMIN', KEYS[1], over) "
          + "local oldest = {} "
          + "for i = 1, #popped, 2 do oldest[#oldest + 1] = popped[i] end "
          + "return oldest";

  private SizeIndex() {}

  /**
   * Records that {@code written} were just written (in that order) and unlinks the oldest keys
   * past {@code maxSize}.
   *
   * @return a future of how many entries were unlinked (an eviction each)
   */
  static CompletableFuture<Long> track(RedisClusterAsyncCommands<byte[], byte[]> redis,
      byte[] index, long maxSize, List<byte[]> written) {
    if (written.isEmpty()) {
      return CompletableFuture.completedFuture(0L);
    }
    byte[][] args = new byte[written.size() + 1][];
    args[0] = Long.toString(maxSize).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < written.size(); i++) {
      args[i + 1] = written.get(i);
    }
    return redis.<List<byte[]>>eval(TRACK, ScriptOutputType.MULTI, new byte[][] {index}, args)
        .toCompletableFuture()
        .thenCompose(oldest -> oldest.isEmpty() ? CompletableFuture.completedFuture(0L)
            : redis.unlink(oldest.toArray(new byte[0][])).toCompletableFuture());
  }
}
