package io.ucache.interceptor;

import io.ucache.CacheKeys;
import io.ucache.spi.CanonicalKey;

/**
 * An in-process engine's key of a tagged entry: the call's key and the combined generation of
 * its tags when it was written ({@link TagGenerations}); a tag invalidated since gives calls
 * another generation, so they no longer find it.
 */
record TaggedKey(Object key, long generation) implements CanonicalKey {

  /** The key's text with the generation appended, as a shared engine stores it. */
  @Override
  public String canonicalText() {
    String text = key instanceof CanonicalKey canonical ? canonical.canonicalText()
        : CacheKeys.of(new Object[] {key});
    return text + "#" + Long.toHexString(generation);
  }
}
