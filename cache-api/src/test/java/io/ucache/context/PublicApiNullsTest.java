package io.ucache.context;

import com.google.common.testing.NullPointerTester;
import com.google.common.testing.NullPointerTester.Visibility;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheException;
import io.ucache.CacheLoadException;
import io.ucache.CacheSerializationException;
import io.ucache.CacheStats;
import io.ucache.CachedValue;
import io.ucache.Capability;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.Ticker;
import io.ucache.ValueCodec;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import io.ucache.spi.LeakGuard;
import io.ucache.spi.SingleFlight;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Guava's {@link NullPointerTester} over the public API of {@code cache-api}: every public
 * constructor, static method and instance method throws {@link NullPointerException} for a
 * {@code null} in a parameter not marked {@code @Nullable}, and accepts {@code null} where it is
 * (the tester reads JSpecify's {@code @Nullable}). Engines' caches get the same treatment in the
 * test kit's {@code HostileInputContract}.
 */
class PublicApiNullsTest {

  private final FakeProvider provider = new FakeProvider("caffeine", 100, Capability.IN_PROCESS);
  private final EngineManager manager = EngineManager.of(provider);

  private NullPointerTester tester() {
    return new NullPointerTester()
        .setDefault(CacheConfig.class, CacheConfig.defaults())
        .setDefault(io.ucache.ConfigKey.class, io.ucache.TestEngineKeys.FOLDER)
        .setDefault(EngineManager.class, manager)
        .setDefault(EngineProvider.class, provider)
        .setDefault(Class.class, String.class)
        .setDefault(io.ucache.ValueType.class, io.ucache.ValueType.of(String.class))
        .setDefault(String.class, "caffeine")
        .setDefault(Runnable.class, () -> { })
        .setDefault(ClassLoader.class, PublicApiNullsTest.class.getClassLoader())
        .setDefault(java.lang.reflect.Method.class, toStringMethod());
  }

  private static java.lang.reflect.Method toStringMethod() {
    try {
      return Object.class.getMethod("toString");
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void staticMethodsAndConstructors_nullForNonNullableParameter_throwNullPointerException() {
    for (Class<?> type : List.of(CacheConfig.class, CacheConfig.Builder.class, CacheStats.class,
        CachedValue.class, Capability.class, FailMode.class, Ticker.class, ValueCodec.class,
        CacheException.class, CacheConfigException.class, CacheLoadException.class,
        CacheSerializationException.class, EngineUnavailableException.class,
        EngineManager.class, EngineContext.class, CacheContext.class, EngineInfo.class,
        UCacheInterceptor.class, Availability.class, SingleFlight.class, LeakGuard.class,
        io.ucache.ConfigKey.class)) {
      tester().testStaticMethods(type, Visibility.PUBLIC);
      tester().testConstructors(type, Visibility.PUBLIC);
    }
  }

  @Test
  void instanceMethods_nullForNonNullableParameter_throwNullPointerException() {
    tester().testAllPublicInstanceMethods(CacheConfig.builder());
    tester().testAllPublicInstanceMethods(CacheConfig.builder().ttl(java.time.Duration.ofMinutes(1))
        .build());
    tester().testAllPublicInstanceMethods(CacheStats.EMPTY);
    tester().testAllPublicInstanceMethods(io.ucache.TestEngineKeys.FOLDER);
    tester().testAllPublicInstanceMethods(manager);
    tester().testAllPublicInstanceMethods(CacheContext.of(CacheConfig.defaults(), manager));
    tester().testAllPublicInstanceMethods(new SingleFlight<String>());
    tester().testAllPublicInstanceMethods(ValueCodec.utf8());
    tester().testAllPublicInstanceMethods(ValueCodec.java(String.class));
    try (EngineContext context = EngineContext.open(CacheConfig.defaults(), manager)) {
      tester().testAllPublicInstanceMethods(context);
    }
    try (UCacheInterceptor interceptor = UCacheInterceptor.using(manager,
        CacheConfig.defaults())) {
      tester().testAllPublicInstanceMethods(interceptor);
    }
    try (LeakGuard.Registration registration = LeakGuard.watch(new Object(), "test", () -> { })) {
      tester().testAllPublicInstanceMethods(registration);
    }
  }
}
