package io.ucache.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;

/**
 * UCache for Spring without Boot: put it on a {@code @Configuration} class to get what the Boot
 * auto-configuration gives, read from the environment's {@code ucache.*} properties and
 * {@code UCACHE_*} variables: the {@code EngineManager}, the application's {@code CacheEngine}
 * (closed with the context), the {@code @UCache}/{@code @UCacheEvict} advisor, and, with
 * {@link #cacheManager()}, a Spring {@code CacheManager} over the engine for {@code @Cacheable}
 * (add {@code @EnableCaching} for those annotations). Beans of the same names that the
 * application defines are replaced, so define none of {@code ucacheEngine},
 * {@code cacheManager}...; under Boot, use the auto-configuration instead.
 *
 * <p>Classes without interfaces are proxied through CGLIB; set {@link #proxyTargetClass()} to
 * proxy every class that way, interfaces or not.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import({UCacheConfiguration.class, UCacheConfiguration.Registrar.class})
public @interface EnableUCache {

  /** Whether to proxy classes (CGLIB) rather than their interfaces (JDK proxies). */
  boolean proxyTargetClass() default false;

  /** Whether to define a Spring {@code CacheManager} named {@code cacheManager} over the engine. */
  boolean cacheManager() default true;
}
