package io.ucache.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.ucache.spi.LoadLeases;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The load leases of one Redis cache ({@code single-flight.scope=cluster}): a lease is a Redis key
 * ({@link RedisKeys#leaseKey}) holding its holder's token, set with {@code SET NX PX}, renewed
 * and released by scripts that first compare the token, so a holder never extends or ends
 * another's lease. The fenced write checks the token and sets the value in one script: the
 * lease key shares the value key's Cluster slot. Every call goes through the cache's
 * {@link RedisCalls} (circuit breaker, timeout). Thread-safe.
 */
final class RedisLeases<K> implements LoadLeases<K, byte[]> {

  private static final String RENEW =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end";
  private static final String RELEASE =
      "if redis.call('GET', KEYS[1]) == ARGV[1] then "
          + "return redis.call('DEL', KEYS[1]) else return 0 end";
  /** KEYS: lease, value; ARGV: token, value, PX or ''. {0} lost, {1, present}, or {2} stored. */
  private static final String WRITE_IF_HOLDING =
      "if redis.call('GET', KEYS[1]) ~= ARGV[1] then return {0} end "
          + "local present = redis.call('GET', KEYS[2]) "
          + "if present then return {1, present} end "
          + "if ARGV[3] == '' then redis.call('SET', KEYS[2], ARGV[2]) "
          + "else redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3]) end "
          + "return {2}";

  private final RedisKeys<K> keys;
  private final RedisCalls calls;
  private final RedisConnection connection;
  private final RedisCommands<K> commands;

  RedisLeases(RedisKeys<K> keys, RedisCalls calls, RedisConnection connection,
      RedisCommands<K> commands) {
    this.keys = keys;
    this.calls = calls;
    this.connection = connection;
    this.commands = commands;
  }

  @Override
  public boolean tryTake(K key, String token, Duration leaseTime) {
    byte[] redisKey = keys.encode(key);
    String ok = calls.callFor(redisKey, () -> connection.commands().set(keys.leaseKey(redisKey),
        ascii(token), SetArgs.Builder.nx().px(millis(leaseTime))).toCompletableFuture(), null);
    return "OK".equals(ok);
  }

  @Override
  public boolean renew(K key, String token, Duration leaseTime) {
    byte[] redisKey = keys.encode(key);
    Long renewed = calls.callFor(redisKey, () -> connection.commands().<Long>eval(RENEW,
        ScriptOutputType.INTEGER, new byte[][] {keys.leaseKey(redisKey)}, ascii(token),
        ascii(Long.toString(millis(leaseTime)))).toCompletableFuture(), null);
    return renewed != null && renewed == 1L;
  }

  @Override
  public void release(K key, String token) {
    byte[] redisKey = keys.encode(key);
    calls.callFor(redisKey, () -> connection.commands().<Long>eval(RELEASE,
        ScriptOutputType.INTEGER, new byte[][] {keys.leaseKey(redisKey)}, ascii(token))
        .toCompletableFuture(), null);
  }

  @Override
  public Fenced<byte[]> writeIfAbsentHolding(K key, byte[] stored, String token) {
    byte[] redisKey = keys.encode(key);
    long px = commands.expiryOf(stored, 0);
    List<Object> outcome = calls.callFor(redisKey, () -> connection.commands().<List<Object>>eval(
            WRITE_IF_HOLDING, ScriptOutputType.MULTI,
            new byte[][] {keys.leaseKey(redisKey), redisKey}, ascii(token), stored,
            ascii(px > 0 ? Long.toString(px) : "")).toCompletableFuture()
        .thenCompose(result -> ((Long) result.get(0)) == 2L
            ? commands.trackSize(List.of(redisKey)).thenApply(done -> result)
            : CompletableFuture.completedFuture(result)), null);
    long code = (Long) outcome.get(0);
    return code == 0 ? Fenced.lost() : code == 2 ? Fenced.stored()
        : Fenced.held((byte[]) outcome.get(1));
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static long millis(Duration duration) {
    return Math.max(1, duration.toMillis());
  }
}
