package io.ucache.interceptor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How a proxy made by {@link UCacheInterceptor#proxy} handles one method: the method to call on
 * the target, and its parsed operation (null for a method without cache annotations). It runs
 * the method itself on a miss, so a hit allocates no invocation object. The proxy is a class
 * generated for the interface (see {@link ProxyClasses}) when Byte Buddy is on the class path
 * and can define one there, each method calling its own dispatch; else a JDK proxy, whose
 * handler finds the dispatch by method. Both behave alike, exceptions included.
 */
final class ProxyDispatch implements Proceed, InvocationHandler {
  /** Whether Byte Buddy is here to generate proxy classes (an optional dependency). */
  private static final boolean GENERATES = byteBuddyPresent();

  private final Object target;
  private final Method method;
  final @Nullable Operation operation;
  private final CachedCalls calls;

  private ProxyDispatch(Object target, Method method, @Nullable Operation operation,
      CachedCalls calls) {
    this.target = target;
    this.method = method;
    this.operation = operation;
    this.calls = calls;
  }

  @Override
  public @Nullable Object proceed(@Nullable Object @Nullable [] args) throws Throwable {
    return callTarget(target, method, args);
  }

  /**
   * Runs one call of this dispatch's method ({@code called} is that method, or how a JDK proxy
   * names it). A checked exception the method does not declare is thrown wrapped in an
   * {@link UndeclaredThrowableException}, as a JDK proxy does.
   */
  @Override
  public @Nullable Object invoke(Object proxy, Method called, @Nullable Object @Nullable [] args)
      throws Throwable {
    try {
      return call(args);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      for (Class<?> declared : method.getExceptionTypes()) {
        if (declared.isInstance(e)) {
          throw e;
        }
      }
      throw new UndeclaredThrowableException(e);
    }
  }

  private @Nullable Object call(@Nullable Object @Nullable [] args) throws Throwable {
    Operation operation = this.operation;
    if (operation == null) {
      return proceed(args);
    }
    if (operation.singleKey < 0) {
      return calls.call(operation, args, this);
    }
    // The hit path reads only the key: the argument array reaches nothing else on a hit, and
    // slower paths get a copy, so it never escapes this call and the JIT removes it.
    Object key = args[operation.singleKey];
    Object found = calls.cached(operation, key);
    if (found == CachedCalls.MISSED) {
      return calls.afterMiss(operation, key, args.clone(), this);
    }
    return found != CachedCalls.NOT_ON_HIT_PATH ? found : calls.call(operation, args.clone(), this);
  }

  /**
   * A proxy of the interface {@code type} delegating to {@code target}, whose annotated methods
   * (parsed now by {@code registry}) go through {@code calls}.
   */
  static <T> T proxy(Class<T> type, T target, OperationRegistry registry, CachedCalls calls) {
    if (!type.isInterface()) {
      throw new IllegalArgumentException(type.getName() + " is not an interface: proxies need one."
          + " For classes, use the Spring integration (CGLIB) or extract an interface.");
    }
    Map<Method, ProxyDispatch> byMethod = new LinkedHashMap<>();
    for (Method method : type.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue; // an interface's static methods are never called through a proxy
      }
      byMethod.put(method, new ProxyDispatch(target, callable(method, type, target),
          registry.operation(method, target.getClass()), calls));
    }
    ProxyClasses.ProxyClass generated = GENERATES ? ProxyClasses.of(type) : null;
    if (generated != null) {
      return type.cast(generated.newInstance(method -> byMethod.computeIfAbsent(method,
          objectMethod -> new ProxyDispatch(target, objectMethod, null, calls))));
    }
    DispatchTable table = new DispatchTable(byMethod);
    InvocationHandler handler = (proxy, method, args) -> {
      ProxyDispatch dispatch = table.get(method);
      return dispatch != null ? dispatch.invoke(proxy, method, args)
          : callTarget(target, method, args); // equals, hashCode, toString
    };
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
  }

  private static boolean byteBuddyPresent() {
    try {
      Class.forName("net.bytebuddy.ByteBuddy", false, ProxyDispatch.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * {@code method} in a form this class may call on {@code target}: a method of a non-public
   * interface is made accessible once, here, rather than failing on every call.
   *
   * @throws IllegalArgumentException if it cannot be made accessible (a package of a named
   *     module that is not open to this library)
   */
  private static Method callable(Method method, Class<?> type, Object target) {
    if (method.canAccess(target) || method.trySetAccessible()) {
      return method;
    }
    throw new IllegalArgumentException(type.getName() + " is not accessible to UCache, so its "
        + "methods cannot be called through a proxy: make it public, or open its package to "
        + "the module of " + UCacheInterceptor.class.getName());
  }

  private static @Nullable Object callTarget(Object target, Method method,
      @Nullable Object @Nullable [] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * A proxy's dispatches by method. A JDK proxy passes the same {@code Method} objects on every
   * call, so they are looked up by identity, which is cheaper than {@code Method.equals}: the
   * first {@value #SCANNED} methods called in a small array scanned in order (no identity hash to
   * compute; JFR put a quarter of a hit's samples on the identity map this replaced), any more in
   * an identity map. Each method is found by equality once, then added copy-on-write.
   */
  private static final class DispatchTable {
    /** How many methods the array holds. */
    static final int SCANNED = 8;

    private final Map<Method, ProxyDispatch> byEquality;
    /** Methods and their dispatches, alternating; read once per call for a consistent pair. */
    private volatile Object[] scanned = new Object[0];
    private volatile Map<Method, ProxyDispatch> byIdentity = new IdentityHashMap<>();

    DispatchTable(Map<Method, ProxyDispatch> byEquality) {
      this.byEquality = byEquality;
    }

    @Nullable ProxyDispatch get(Method method) {
      ProxyDispatch known = known(method);
      return known != null ? known : learn(method);
    }

    private @Nullable ProxyDispatch known(Method method) {
      Object[] pairs = scanned;
      for (int i = 0; i < pairs.length; i += 2) {
        if (pairs[i] == method) {
          return (ProxyDispatch) pairs[i + 1];
        }
      }
      return byIdentity.get(method);
    }

    private synchronized @Nullable ProxyDispatch learn(Method method) {
      ProxyDispatch known = known(method); // another thread learned it meanwhile
      ProxyDispatch found = known != null ? known : byEquality.get(method);
      if (known != null || found == null) {
        return found;
      }
      Object[] pairs = scanned;
      if (pairs.length < 2 * SCANNED) {
        Object[] copy = Arrays.copyOf(pairs, pairs.length + 2);
        copy[pairs.length] = method;
        copy[pairs.length + 1] = found;
        scanned = copy;
      } else {
        Map<Method, ProxyDispatch> copy = new IdentityHashMap<>(byIdentity);
        copy.put(method, found);
        byIdentity = copy;
      }
      return found;
    }
  }
}
