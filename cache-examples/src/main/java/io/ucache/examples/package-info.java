/**
 * Runnable examples of each way to use UCache, each a class with a {@code main} and a test.
 * {@link io.ucache.examples.Tour} runs them all: the tour a newcomer runs first.
 */
@NullMarked
package io.ucache.examples;

import org.jspecify.annotations.NullMarked;
