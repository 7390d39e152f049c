/**
 * A small Spring Boot web application on UCache: a stock quote service whose slow exchange calls
 * are cached with {@code @UCache} and whose company names are cached with Spring's
 * {@code @Cacheable}, both on the engine configured by {@code ucache.*}.
 */
@NullMarked
package io.ucache.examples.quote;

import org.jspecify.annotations.NullMarked;
