/**
 * The contract suite every UCache engine runs, and test helpers such as a fake ticker. Engines,
 * including third-party ones, extend {@link io.ucache.testkit.CacheEngineContract} and supply
 * their configuration.
 */
@NullMarked
package io.ucache.testkit;

import org.jspecify.annotations.NullMarked;
