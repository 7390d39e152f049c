package io.ucache.interceptor;

/**
 * An in-process engine's key of a tagged entry: the call's key and the combined generation of
 * its tags when it was written ({@link TagGenerations}); a tag invalidated since gives calls
 * another generation, so they no longer find it.
 */
record TaggedKey(Object key, long generation) {}
