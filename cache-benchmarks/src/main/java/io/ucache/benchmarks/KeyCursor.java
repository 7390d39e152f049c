package io.ucache.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Each benchmark thread's walk over a fixed set of {@link #KEYS} keys, in order, so every key is
 * read as often as the others: the index of the next key.
 */
@State(Scope.Thread)
public class KeyCursor {

  /** How many keys the benchmarks that use a cursor set up. */
  public static final int KEYS = 1 << 10;
  private static final int MASK = KEYS - 1;

  private int index;

  /** The next key's index. */
  int next() {
    return index++ & MASK;
  }
}
