/**
 * A fourth engine, {@code memo}, written as a third party would write one: an in-memory engine
 * whose {@code String} caches are kept in files between runs. It declares its own configuration
 * keys ({@link io.ucache.examples.memo.MemoSettings}), which every source accepts (the builder,
 * {@code UCACHE_*}, {@code ucache.*}, Spring, the CLI) without a line of {@code cache-api}
 * knowing them.
 */
@NullMarked
package io.ucache.examples.memo;

import org.jspecify.annotations.NullMarked;
