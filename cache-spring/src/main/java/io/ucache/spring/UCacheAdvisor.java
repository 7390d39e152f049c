package io.ucache.spring;

import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.annotation.UCachePut;
import java.lang.reflect.Method;
import java.util.Objects;
import java.util.function.Supplier;
import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;

/**
 * The Spring AOP advisor of {@link UCache}, {@link UCachePut} and {@link UCacheEvict}: it matches
 * methods carrying any of them (on the method, the implementation in the target class, or an interface
 * method it implements) and runs them through the {@link AnnotationRouter}'s
 * {@link io.ucache.interceptor.AdvisedMethod}s, the same core the plain-Java proxies use. Spring's auto-proxy creator applies it: CGLIB subclasses for classes,
 * JDK proxies for interfaces.
 *
 * <p>The router is looked up on the first call rather than when the advisor is made, so the
 * engine is not started while Spring is still creating its bean post-processors.
 *
 * <p>Thread-safe. Nulls: none accepted.
 */
final class UCacheAdvisor extends AbstractPointcutAdvisor {
  private static final long serialVersionUID = 1L;

  private final transient Pointcut pointcut = new AnnotatedMethods();
  private final transient Advice advice;

  UCacheAdvisor(Supplier<AnnotationRouter> router) {
    this.advice = new Interception(Objects.requireNonNull(router, "router"));
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return advice;
  }

  /** Methods with @UCache, @UCachePut or @UCacheEvict, wherever Spring finds them for the target class. */
  private static final class AnnotatedMethods extends StaticMethodMatcherPointcut {
    AnnotatedMethods() {
      // Spring's and the JDK's own classes never carry UCache's annotations: skip their
      // methods at once, the bulk of a Boot application's beans.
      setClassFilter(type -> AnnotationUtils.isCandidateClass(type, UCache.class)
          || AnnotationUtils.isCandidateClass(type, UCachePut.class)
          || AnnotationUtils.isCandidateClass(type, UCacheEvict.class));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
      if (annotated(method)) {
        return true;
      }
      Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
      return specific != method && annotated(specific);
    }

    private static boolean annotated(Method method) {
      return AnnotatedElementUtils.hasAnnotation(method, UCache.class)
          || AnnotatedElementUtils.hasAnnotation(method, UCachePut.class)
          || AnnotatedElementUtils.hasAnnotation(method, UCacheEvict.class);
    }
  }

  /** Hands each matched call to the UCache interceptor core. */
  private static final class Interception implements MethodInterceptor {
    private final Supplier<AnnotationRouter> source;
    private volatile @Nullable AnnotationRouter router;

    Interception(Supplier<AnnotationRouter> source) {
      this.source = source;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
      AnnotationRouter current = router;
      if (current == null) {
        current = source.get();
        router = current;
      }
      Object target = invocation.getThis();
      if (target == null) {
        return invocation.proceed();
      }
      return current.invoke(target, invocation);
    }
  }
}
