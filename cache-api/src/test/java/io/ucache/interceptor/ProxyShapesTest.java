package io.ucache.interceptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfig;
import io.ucache.Capability;
import io.ucache.annotation.UCache;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link UCacheInterceptor#proxy} makes of interfaces of every shape: a class generated per
 * interface when Byte Buddy is on the class path, a JDK proxy otherwise (the build runs this
 * class both ways: its {@code jdk-proxies} execution leaves Byte Buddy out and sets
 * {@code ucache.test.jdkProxies}), and the same behaviour either way.
 */
class ProxyShapesTest {

  private static final boolean JDK_PROXIES = Boolean.getBoolean("ucache.test.jdkProxies");

  private final UCacheInterceptorTest.MapEngine engine =
      new UCacheInterceptorTest.MapEngine("map", CacheConfig.defaults(), Capability.IN_PROCESS);
  private final UCacheInterceptor interceptor = UCacheInterceptor.using(engine);

  @AfterEach
  void close() {
    interceptor.close();
    engine.close();
  }

  /** Primitives, void, a default method, and several methods. */
  public interface Counter {
    @UCache(name = "squares")
    long square(int n);

    @UCache(name = "flags")
    boolean even(long n);

    void reset();

    default String describe(int n) {
      return "n=" + n;
    }
  }

  static final class CountingCounter implements Counter {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public long square(int n) {
      calls.incrementAndGet();
      return (long) n * n;
    }

    @Override
    public boolean even(long n) {
      calls.incrementAndGet();
      return n % 2 == 0;
    }

    @Override
    public void reset() {
      calls.set(0);
    }

    @Override
    public String describe(int n) {
      return "target:" + n;
    }

    @Override
    public String toString() {
      return "the counter";
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof CountingCounter;
    }

    @Override
    public int hashCode() {
      return 42;
    }
  }

  @Test
  void proxy_isAGeneratedClassWithByteBuddy_aJdkProxyWithout() {
    Counter counter = interceptor.proxy(Counter.class, new CountingCounter());

    assertThat(Proxy.isProxyClass(counter.getClass())).isEqualTo(JDK_PROXIES);
    if (!JDK_PROXIES) {
      assertThat(counter.getClass().getPackage()).isEqualTo(Counter.class.getPackage());
      assertThat(interceptor.proxy(Counter.class, new CountingCounter()).getClass())
          .as("one class per interface").isSameAs(counter.getClass());
    }
  }

  @Test
  void proxy_primitivesAndVoid_cachedAndReturnedUnboxed() {
    CountingCounter target = new CountingCounter();
    Counter counter = interceptor.proxy(Counter.class, target);

    assertThat(counter.square(12)).isEqualTo(144L);
    assertThat(counter.square(12)).isEqualTo(144L);
    assertThat(counter.even(7)).isFalse();
    assertThat(counter.even(7)).isFalse();
    assertThat(target.calls).as("one run per method and argument").hasValue(2);

    counter.reset();
    assertThat(target.calls).hasValue(0);
  }

  @Test
  void proxy_defaultMethodAndObjectMethods_runOnTheTarget() {
    CountingCounter target = new CountingCounter();
    Counter counter = interceptor.proxy(Counter.class, target);

    assertThat(counter.describe(3)).isEqualTo("target:3");
    assertThat(counter.toString()).isEqualTo("the counter");
    assertThat(counter.hashCode()).isEqualTo(42);
    assertThat(counter.equals(new CountingCounter())).isTrue();
    assertThat(counter.equals("something else")).isFalse();
  }

  @Test
  void proxy_twoTargetsOfOneInterface_eachCallsItsOwn() {
    CountingCounter first = new CountingCounter();
    CountingCounter second = new CountingCounter();
    Counter one = interceptor.proxy(Counter.class, first);
    Counter other = interceptor.proxy(Counter.class, second);

    one.reset();
    one.describe(1);
    other.even(3);

    assertThat(second.calls).hasValue(1);
    assertThat(first.calls).hasValue(0);
  }

  /** A checked exception it declares, and one it does not (thrown around the compiler). */
  public interface Reader {
    @UCache(name = "reads")
    String read(String path) throws IOException;

    String peek(String path);
  }

  @Test
  void proxy_checkedExceptions_declaredPassUndeclaredWrapped_asAJdkProxyDoes() {
    IOException declared = new IOException("disk gone");
    Exception undeclared = new Exception("not declared");
    Reader reader = interceptor.proxy(Reader.class, new Reader() {
      @Override
      public String read(String path) throws IOException {
        throw declared;
      }

      @Override
      public String peek(String path) {
        throw ProxyShapesTest.<RuntimeException>sneaky(undeclared);
      }
    });

    assertThatThrownBy(() -> reader.read("a")).isSameAs(declared);
    assertThatThrownBy(() -> reader.peek("a"))
        .isInstanceOf(UndeclaredThrowableException.class).hasCause(undeclared);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }

  /** Package-private: the generated class goes into this package. */
  interface Hidden {
    @UCache(name = "hidden")
    List<String> parts(String text);
  }

  @Test
  void proxy_packagePrivateInterface_cached() {
    AtomicInteger calls = new AtomicInteger();
    Hidden hidden = interceptor.proxy(Hidden.class, text -> {
      calls.incrementAndGet();
      return List.of(text.split(","));
    });

    assertThat(hidden.parts("a,b")).containsExactly("a", "b");
    assertThat(hidden.parts("a,b")).containsExactly("a", "b");
    assertThat(calls).hasValue(1);
  }

  /** A generic interface, and one that redeclares its method with a narrower return type. */
  public interface Source<T> {
    T get(String key);
  }

  public interface Names extends Source<Object> {
    @Override
    String get(String key);

    @UCache(name = "lengths")
    int length(String key);
  }

  @Test
  void proxy_covariantRedeclaration_aJdkProxyCallableThroughEitherType() {
    AtomicInteger calls = new AtomicInteger();
    Names names = interceptor.proxy(Names.class, new Names() {
      @Override
      public String get(String key) {
        return key + "#" + calls.incrementAndGet();
      }

      @Override
      public int length(String key) {
        calls.incrementAndGet();
        return key.length();
      }
    });
    Source<Object> source = names;

    assertThat(Proxy.isProxyClass(names.getClass())).as("two methods named get(String)").isTrue();
    assertThat(names.get("a")).isEqualTo("a#1");
    assertThat(source.get("a")).isEqualTo("a#2");
    assertThat(names.length("abc")).isEqualTo(3);
    assertThat(names.length("abc")).isEqualTo(3);
    assertThat(calls).hasValue(3);
  }
}
