package io.ucache.interceptor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.description.modifier.FieldManifestation;
import net.bytebuddy.description.modifier.SyntheticState;
import net.bytebuddy.description.modifier.TypeManifestation;
import net.bytebuddy.description.modifier.Visibility;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.dynamic.scaffold.subclass.ConstructorStrategy;
import net.bytebuddy.implementation.FieldAccessor;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.InvocationHandlerAdapter;
import net.bytebuddy.implementation.MethodCall;
import net.bytebuddy.matcher.ElementMatchers;
import org.jspecify.annotations.Nullable;

/**
 * Proxy classes generated with Byte Buddy, one per interface: a final class in the interface's
 * package whose every method calls its own {@link InvocationHandler} (a {@link ProxyDispatch})
 * from a final field. A call looks no method up and makes no reflective call; a JDK proxy's
 * handler has to find the dispatch by method on every call. Only loaded when Byte Buddy is on
 * the class path, since its classes are linked with this one's; an interface it cannot generate
 * a class for gets a JDK proxy instead. Thread-safe.
 */
final class ProxyClasses {
  /** A constructor takes a handler per method; a JVM method takes at most 255 parameter slots. */
  private static final int MAX_METHODS = 254;
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private static final List<Method> OBJECT_METHODS = objectMethods();

  private static final ClassValue<Optional<ProxyClass>> CLASSES = new ClassValue<>() {
    @Override
    protected Optional<ProxyClass> computeValue(Class<?> type) {
      try {
        return Optional.ofNullable(generate(type));
      } catch (RuntimeException | LinkageError e) {
        // An interface Byte Buddy cannot implement (or a Byte Buddy too old for this JVM's class
        // files): the JDK proxy behaves the same, so the proxy is still made.
        System.getLogger(UCacheInterceptor.class.getName()).log(System.Logger.Level.DEBUG,
            () -> "no proxy class for " + type.getName() + ", a JDK proxy instead", e);
        return Optional.empty();
      }
    }
  };

  private ProxyClasses() {}

  /**
   * The proxy class of the interface {@code type}, generated on first use; null if it cannot
   * have one: a sealed or hidden interface (which no proxy implements), one whose package is not
   * open to this library, one with two methods of the same name and parameters (a covariant
   * redeclaration, which a JDK proxy resolves its own way), or one with more than
   * {@value #MAX_METHODS} methods.
   */
  static @Nullable ProxyClass of(Class<?> type) {
    return CLASSES.get(type).orElse(null);
  }

  /** A generated class, and the methods whose handlers its constructor takes, in order. */
  record ProxyClass(List<Method> methods, MethodHandle constructor) {

    /** An instance whose method {@code m} calls {@code handlerOf.apply(m)}. */
    Object newInstance(Function<Method, ? extends InvocationHandler> handlerOf) {
      Object[] handlers = new Object[methods.size()];
      for (int i = 0; i < handlers.length; i++) {
        handlers[i] = handlerOf.apply(methods.get(i));
      }
      try {
        return constructor.invokeWithArguments(handlers);
      } catch (Throwable e) { // the constructor only assigns its fields
        throw new IllegalStateException("cannot create the proxy class "
            + constructor.type().returnType().getName(), e);
      }
    }
  }

  private static @Nullable ProxyClass generate(Class<?> type) {
    List<Method> methods = methods(type);
    if (methods == null || type.isSealed() || type.isHidden()) {
      return null;
    }
    MethodHandles.Lookup lookup;
    try {
      lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    } catch (IllegalAccessException e) {
      return null; // a package of a named module not open to this library
    }
    List<Class<?>> parameters = Collections.nCopies(methods.size(), InvocationHandler.class);
    DynamicType.Builder<Object> builder = new ByteBuddy()
        .subclass(Object.class, ConstructorStrategy.Default.NO_CONSTRUCTORS)
        .implement(type)
        .name(type.getName() + "$UCacheProxy$" + SEQUENCE.incrementAndGet())
        .modifiers(Visibility.PUBLIC, TypeManifestation.FINAL, SyntheticState.SYNTHETIC);
    Implementation.Composable constructor = invokeObjectConstructor();
    for (int i = 0; i < methods.size(); i++) {
      Method method = methods.get(i);
      String field = "handler" + i;
      builder = builder
          .defineField(field, InvocationHandler.class, Visibility.PRIVATE, FieldManifestation.FINAL)
          .method(ElementMatchers.named(method.getName())
              .and(ElementMatchers.takesArguments(method.getParameterTypes())))
          .intercept(InvocationHandlerAdapter.toField(field));
      constructor = constructor.andThen(FieldAccessor.ofField(field).setsArgumentAt(i));
    }
    Class<?> generated = builder
        .defineConstructor(Visibility.PUBLIC).withParameters(parameters).intercept(constructor)
        .make()
        .load(type.getClassLoader(), ClassLoadingStrategy.UsingLookup.of(lookup))
        .getLoaded();
    try {
      return new ProxyClass(List.copyOf(methods), lookup.findConstructor(generated,
          MethodType.methodType(void.class, parameters)));
    } catch (NoSuchMethodException | IllegalAccessException e) {
      throw new IllegalStateException("the proxy class " + generated.getName()
          + " has no public constructor of " + methods.size() + " handlers", e);
    }
  }

  /**
   * The methods a proxy of {@code type} implements: its instance methods, then those of
   * {@code equals}, {@code hashCode} and {@code toString} it does not declare; null if two share
   * a name and parameters, or there are too many.
   */
  private static @Nullable List<Method> methods(Class<?> type) {
    List<Method> methods = new ArrayList<>();
    Set<List<Object>> signatures = new HashSet<>();
    for (Method method : type.getMethods()) {
      if (!Modifier.isStatic(method.getModifiers())) {
        if (!signatures.add(signature(method))) {
          return null;
        }
        methods.add(method);
      }
    }
    for (Method method : OBJECT_METHODS) {
      if (signatures.add(signature(method))) {
        methods.add(method);
      }
    }
    return methods.size() <= MAX_METHODS ? methods : null;
  }

  private static List<Object> signature(Method method) {
    return List.of(method.getName(), List.of(method.getParameterTypes()));
  }

  private static Implementation.Composable invokeObjectConstructor() {
    try {
      return MethodCall.invoke(Object.class.getConstructor());
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  private static List<Method> objectMethods() {
    try {
      return List.of(Object.class.getMethod("equals", Object.class),
          Object.class.getMethod("hashCode"), Object.class.getMethod("toString"));
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }
}
