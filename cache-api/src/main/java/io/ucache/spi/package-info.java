/**
 * The one service-provider interface: {@link io.ucache.spi.EngineProvider}, registered in
 * {@code META-INF/services/io.ucache.spi.EngineProvider} by each engine jar.
 */
@NullMarked
package io.ucache.spi;

import org.jspecify.annotations.NullMarked;
