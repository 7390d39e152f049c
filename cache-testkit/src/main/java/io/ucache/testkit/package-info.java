/**
 * The contract suite every UCache engine runs, and test helpers such as a fake ticker. Engines,
 * including third-party ones, extend {@link io.ucache.testkit.CacheEngineContract} and supply
 * their configuration. {@link io.ucache.testkit.RedisServerExtension},
 * {@link io.ucache.testkit.RedisClusterExtension} and
 * {@link io.ucache.testkit.RedisSentinelExtension} start real Redis servers for a test class.
 */
@NullMarked
package io.ucache.testkit;

import org.jspecify.annotations.NullMarked;
