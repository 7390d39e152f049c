package io.ucache.spi;

/**
 * A key object that knows its canonical text ({@code docs/keys.md}): what a shared engine stores
 * after the namespace and the cache's name, for keys an in-process engine holds as objects (the
 * interceptor's keys of several arguments, or of tagged entries). Operators' tools find an entry
 * by that text ({@link AbstractCache#evictByText}). Implementations are immutable.
 */
public interface CanonicalKey {

  /** The key's canonical text. */
  String canonicalText();
}
