/**
 * Spring integration: Boot auto-configuration, the {@code @UCache} advisor and a Spring
 * {@code CacheManager} bridge. An empty shell until its issue lands.
 */
@NullMarked
package io.ucache.spring;

import org.jspecify.annotations.NullMarked;
