/**
 * The Spring-free core that applies {@link io.ucache.annotation.UCache} and
 * {@link io.ucache.annotation.UCacheEvict}: {@link io.ucache.interceptor.UCacheInterceptor}. Plain
 * Java code gets it through JDK proxies of interfaces; the Spring integration adapts the same core
 * as an AOP advisor.
 */
@NullMarked
package io.ucache.interceptor;

import org.jspecify.annotations.NullMarked;
