/**
 * Spring integration: Boot auto-configuration of {@code ucache.*}, the {@code @UCache} AOP
 * advisor (classes through CGLIB, interfaces through JDK proxies), a Spring {@code CacheManager}
 * over UCache engines, Micrometer metrics, a health indicator, and {@link EnableUCache} for
 * Spring without Boot. Public: {@link EnableUCache}, {@link UCacheProperties},
 * {@link UCacheCacheManager}, {@link UCacheAutoConfiguration}; everything else is an
 * implementation detail.
 */
@NullMarked
package io.ucache.spring;

import org.jspecify.annotations.NullMarked;
