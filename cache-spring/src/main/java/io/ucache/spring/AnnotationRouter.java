package io.ucache.spring;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.annotation.UCachePut;
import io.ucache.interceptor.ConditionExpressions;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.AdvisedMethod;
import io.ucache.interceptor.Invocation;
import io.ucache.interceptor.UCacheInterceptor;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;

/**
 * Sends each annotated call to a {@link UCacheInterceptor}: the application's, which uses the
 * application's engine, or, for an annotation naming another engine ({@code engine = "redis"}),
 * an interceptor over that engine, created on first use with the application's configuration and
 * closed by {@link #close()}. So {@code @UCache}'s {@code engine} attribute works as with plain
 * Java proxies, while the default engine stays the one Spring manages.
 *
 * <p>Thread-safe. Nulls: {@code args} may be null, nothing else.
 */
final class AnnotationRouter implements AutoCloseable {

  private final UCacheInterceptor main;
  private final CacheEngine engine;
  private final EngineManager manager;
  private final ConditionExpressions expressions;
  private final ConcurrentHashMap<String, UCacheInterceptor> byEngine = new ConcurrentHashMap<>();
  /** Per method, the route of the target class it was last called on: one lookup per call. */
  private final ConcurrentHashMap<Method, Advised> latest = new ConcurrentHashMap<>();
  /** Every method's route per target class (a method may be called on several). */
  private final ConcurrentHashMap<MethodOfClass, Advised> routes = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * Routes to {@code main} and to interceptors made for other engines, each compiling the
   * annotations' expression attributes with {@code expressions}.
   *
   * @throws IllegalStateException if {@code main} has parsed methods already
   */
  AnnotationRouter(UCacheInterceptor main, CacheEngine engine, EngineManager manager,
      ConditionExpressions expressions) {
    this.main = main.withExpressions(expressions);
    this.engine = engine;
    this.manager = manager;
    this.expressions = expressions;
  }

  /**
   * Runs {@code call} of an annotated method on {@code target}: a hit looks up one map and
   * allocates nothing of UCache's.
   */
  @Nullable Object invoke(Object target, MethodInvocation call) throws Throwable {
    Method method = call.getMethod();
    Class<?> targetClass = target.getClass();
    Advised advised = latest.get(method);
    if (advised == null || advised.targetClass != targetClass) {
      advised = routes.computeIfAbsent(new MethodOfClass(method, targetClass), this::advise);
      latest.put(method, advised);
    }
    AdvisedMethod<MethodInvocation> advisedMethod = advised.method;
    return advisedMethod == null ? call.proceed()
        : advisedMethod.invoke(call.getArguments(), call);
  }

  private record MethodOfClass(Method method, Class<?> targetClass) {}

  /** A method as calls on one target class run it: null if UCache has nothing to do there. */
  private record Advised(Class<?> targetClass, @Nullable AdvisedMethod<MethodInvocation> method) {}

  private Advised advise(MethodOfClass key) {
    Route route = route(key.method(), key.targetClass());
    return new Advised(key.targetClass(), route.interceptor.advised(route.declaration,
        key.targetClass(), AnnotationRouter::invocation));
  }

  /** The rest of Spring's chain as UCache's core runs it. */
  private static Invocation invocation(MethodInvocation invocation) {
    return new Invocation() {
      @Override
      public @Nullable Object proceed() throws Throwable {
        return invocation.proceed();
      }

      @Override
      public @Nullable Object proceedWith(@Nullable Object[] args) throws Throwable {
        if (!(invocation instanceof ProxyMethodInvocation chain)) {
          return Invocation.super.proceedWith(args);
        }
        chain.setArguments(args);
        return chain.proceed();
      }

      @Override
      public Invocation detach() {
        // The rest of the chain, from here, once more: a background refresh.
        MethodInvocation later = invocation instanceof ProxyMethodInvocation chain
            ? chain.invocableClone() : invocation;
        return later::proceed;
      }
    };
  }

  /** Closes the interceptors, and so the engines, made for annotations naming other engines. */
  @Override
  public void close() {
    closed = true;
    RuntimeException failure = null;
    for (UCacheInterceptor interceptor : byEngine.values()) {
      try {
        interceptor.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    byEngine.clear();
    if (failure != null) {
      throw failure;
    }
  }

  private record Route(UCacheInterceptor interceptor, Method declaration) {}

  private Route route(Method method, Class<?> targetClass) {
    Method declaration = annotatedDeclaration(method, targetClass);
    Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
    String named = engineName(specific);
    if (named.isEmpty()) {
      named = engineName(declaration);
    }
    if (named.isEmpty() || named.equals(engine.name())) {
      return new Route(main, declaration);
    }
    String name = named;
    return new Route(byEngine.computeIfAbsent(name, n -> {
      if (closed) {
        throw new IllegalStateException("The UCache integration is closed");
      }
      CacheConfig config = engine.config().toBuilder().engine(n).build();
      return UCacheInterceptor.using(manager, config).withExpressions(expressions);
    }), declaration);
  }

  private static String engineName(Method method) {
    UCache cache = method.getAnnotation(UCache.class);
    if (cache != null && !cache.engine().isEmpty()) {
      return cache.engine();
    }
    UCachePut put = method.getAnnotation(UCachePut.class);
    if (put != null && !put.engine().isEmpty()) {
      return put.engine();
    }
    UCacheEvict evict = method.getAnnotation(UCacheEvict.class);
    return evict == null ? "" : evict.engine();
  }

  /**
   * The method whose annotations apply. A CGLIB proxy reports the class's method, but the
   * annotations may sit on an interface method it implements: the core reads a method's own
   * annotations and its implementation's, not those of interfaces, so hand it that one.
   */
  private static Method annotatedDeclaration(Method method, Class<?> targetClass) {
    if (ownAnnotations(method)
        || ownAnnotations(AopUtils.getMostSpecificMethod(method, targetClass))) {
      return method;
    }
    for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(targetClass)) {
      Method declared = ClassUtils.getMethodIfAvailable(type, method.getName(),
          method.getParameterTypes());
      if (declared != null && ownAnnotations(declared)) {
        return declared;
      }
    }
    return method;
  }

  private static boolean ownAnnotations(Method method) {
    return method.isAnnotationPresent(UCache.class) || method.isAnnotationPresent(UCachePut.class)
        || method.isAnnotationPresent(UCacheEvict.class);
  }

  @Override
  public String toString() {
    return "AnnotationRouter{engine=" + engine.name() + ", others=" + byEngine.keySet() + "}";
  }
}
