package io.ucache.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.EngineUnavailableException;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineManagerTest {

  private static CacheConfig named(String engine) {
    return CacheConfig.builder().engine(engine).build();
  }

  private static CacheConfig requiring(Capability... capabilities) {
    return CacheConfig.builder().require(capabilities).build();
  }

  /** A second provider class, so that two providers of one name have different class names. */
  static final class DuplicateProvider extends FakeProvider {
    DuplicateProvider(String name) {
      super(name, 10);
    }
  }

  // --- engines() ----------------------------------------------------------------------------

  @Test
  void engines_mixedPriorities_sortedByPriorityDescendingThenName() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("zeta", 50),
        new FakeProvider("caffeine", 100),
        new FakeProvider("alpha", 50),
        new FakeProvider("low", -5),
        new FakeProvider("top", 500));

    assertThat(manager.engines()).extracting(EngineInfo::name)
        .containsExactly("top", "caffeine", "alpha", "zeta", "low");
    assertThat(manager.engines()).extracting(EngineInfo::priority)
        .containsExactly(500, 100, 50, 50, -5);
  }

  @Test
  void engines_availableAndUnavailable_reportFlagReasonCapabilitiesAndProvider() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("mem", 100, Capability.IN_PROCESS, Capability.BULK),
        FakeProvider.unavailable("disk", 50, "class org.ehcache.CacheManager not found",
            Capability.PERSISTENT));

    EngineInfo mem = manager.engine("mem").orElseThrow();
    assertThat(mem.available()).isTrue();
    assertThat(mem.reason()).isNull();
    assertThat(mem.capabilities()).containsExactlyInAnyOrder(Capability.IN_PROCESS, Capability.BULK);
    assertThat(mem.provider()).isEqualTo(FakeProvider.class.getName());

    EngineInfo disk = manager.engine("disk").orElseThrow();
    assertThat(disk.available()).isFalse();
    assertThat(disk.reason()).isEqualTo("class org.ehcache.CacheManager not found");
    assertThat(disk.capabilities()).containsExactly(Capability.PERSISTENT);
    assertThat(disk.priority()).isEqualTo(50);
  }

  @Test
  void engine_unknownName_isEmpty() {
    EngineManager manager = EngineManager.of(new FakeProvider("mem", 100));

    assertThat(manager.engine("redis")).isEmpty();
    assertThat(manager.engine("mem")).isPresent();
  }

  @Test
  void engines_noProviders_isEmptyAndCreateFailsSayingNoneInstalled() {
    EngineManager manager = EngineManager.of();

    assertThat(manager.engines()).isEmpty();
    assertThatThrownBy(() -> manager.create(CacheConfig.defaults()))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("No engines are installed")
        .hasMessageContaining("io.ucache:cache-engine-caffeine");
  }

  @Test
  void engines_calledTwice_discoversOnce() {
    int[] availabilityCalls = {0};
    EngineManager manager = EngineManager.of(new FakeProvider("mem", 100, Set.of(), () -> {
      availabilityCalls[0]++;
      return Availability.yes();
    }, null));

    manager.engines();
    manager.engines();
    manager.select(CacheConfig.defaults());

    assertThat(availabilityCalls[0]).isEqualTo(1);
  }

  // --- by name ------------------------------------------------------------------------------

  @Test
  void select_engineNamed_returnsThatEngineEvenWithLowerPriority() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("caffeine", 100), new FakeProvider("disk", 10));

    assertThat(manager.select(named("disk")).name()).isEqualTo("disk");
  }

  @Test
  void create_engineNamed_createsFromThatProviderWithTheConfig() {
    FakeProvider caffeine = new FakeProvider("caffeine", 100);
    FakeProvider disk = new FakeProvider("disk", 10);
    EngineManager manager = EngineManager.of(caffeine, disk);
    CacheConfig config = CacheConfig.builder().engine("disk").maxSize(5).build();

    try (CacheEngine engine = manager.create(config)) {
      assertThat(engine.name()).isEqualTo("disk");
      assertThat(engine).isSameAs(disk.onlyEngine());
      assertThat(disk.configs()).containsExactly(config);
      assertThat(caffeine.created()).isEmpty();
    }
  }

  @Test
  void create_calledTwice_returnsTwoEnginesTheCallerOwns() {
    FakeProvider mem = new FakeProvider("mem", 100);
    EngineManager manager = EngineManager.of(mem);

    CacheEngine first = manager.create(CacheConfig.defaults());
    CacheEngine second = manager.create(CacheConfig.defaults());

    assertThat(first).isNotSameAs(second);
    assertThat(mem.created()).containsExactly((FakeEngine) first, (FakeEngine) second);
    assertThat(first.isClosed()).as("the manager never closes what it created").isFalse();
    first.close();
    second.close();
  }

  @Test
  void create_unknownName_throwsListingInstalledEngines() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("caffeine", 100),
        FakeProvider.unavailable("disk", 50, "driver missing"));

    EngineUnavailableException e = catchThrowableOfType(EngineUnavailableException.class,
        () -> manager.create(named("memcached")));

    assertThat(e.engine()).isEqualTo("memcached");
    assertThat(e.getMessage())
        .contains("Unknown engine 'memcached'")
        .contains("Installed engines: caffeine, disk (unavailable: driver missing)")
        .contains("io.ucache:cache-engine-caffeine")
        .contains("io.ucache:cache-engine-ehcache")
        .contains("io.ucache:cache-engine-redis");
  }

  @Test
  void create_ehcacheNotInstalled_namesTheArtifactToAdd() {
    EngineManager manager = EngineManager.of(new FakeProvider("caffeine", 100));

    assertThatThrownBy(() -> manager.create(named("ehcache")))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("Unknown engine 'ehcache'")
        .hasMessageContaining("Installed engines: caffeine")
        .hasMessageContaining("Add io.ucache:cache-engine-ehcache to the class path");
  }

  @Test
  void create_namedEngineUnavailable_throwsWithItsReason() {
    FakeProvider redis = FakeProvider.unavailable("redis", 10,
        "class io.lettuce.core.RedisClient not found: add io.lettuce:lettuce-core");
    EngineManager manager = EngineManager.of(new FakeProvider("caffeine", 100), redis);

    EngineUnavailableException e = catchThrowableOfType(EngineUnavailableException.class,
        () -> manager.create(named("redis")));

    assertThat(e.engine()).isEqualTo("redis");
    assertThat(e.getMessage())
        .contains("Engine 'redis' is not available")
        .contains("class io.lettuce.core.RedisClient not found: add io.lettuce:lettuce-core");
    assertThat(redis.created()).isEmpty();
  }

  @Test
  void select_namedEngineLacksRequiredCapability_throwsNamingTheCapability() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("caffeine", 100, Capability.IN_PROCESS),
        new FakeProvider("disk", 50, Capability.PERSISTENT, Capability.IN_PROCESS));
    CacheConfig config = CacheConfig.builder()
        .engine("caffeine").require(Capability.PERSISTENT, Capability.IN_PROCESS).build();

    CacheConfigException e = catchThrowableOfType(CacheConfigException.class,
        () -> manager.select(config));

    assertThat(e.key()).isEqualTo("require");
    assertThat(e.getMessage())
        .contains("Engine 'caffeine' cannot honour the required capabilities persistent;")
        .contains("it has capabilities in-process")
        .contains("Engines that do: [disk]")
        .doesNotContain("PERSISTENT");
  }

  @Test
  void create_namedEngineLacksRequiredCapability_createsNothing() {
    FakeProvider caffeine = new FakeProvider("caffeine", 100, Capability.IN_PROCESS);
    EngineManager manager = EngineManager.of(caffeine);
    CacheConfig config = CacheConfig.builder()
        .engine("caffeine").require(Capability.SHARED, Capability.PER_ENTRY_TTL).build();

    assertThatThrownBy(() -> manager.create(config))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("capabilities shared, per-entry-ttl")
        .hasMessageContaining("No installed engine has them.");
    assertThat(caffeine.created()).isEmpty();
  }

  @Test
  void select_namedEngineHasEveryRequiredCapability_returnsIt() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("disk", 50, Capability.PERSISTENT, Capability.BULK));
    CacheConfig config = CacheConfig.builder()
        .engine("disk").require(Capability.PERSISTENT, Capability.BULK).build();

    assertThat(manager.select(config).name()).isEqualTo("disk");
  }

  // --- by required capabilities -------------------------------------------------------------

  @Test
  void select_requiredCapabilities_picksHighestPriorityAvailableEngineHavingAll() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("caffeine", 100, Capability.IN_PROCESS),
        new FakeProvider("disk", 60, Capability.PERSISTENT),
        new FakeProvider("shared-disk", 40, Capability.PERSISTENT, Capability.SHARED),
        new FakeProvider("cluster", 30, Capability.PERSISTENT, Capability.SHARED,
            Capability.DISTRIBUTED),
        FakeProvider.unavailable("broken", 90, "server down", Capability.PERSISTENT,
            Capability.SHARED));

    assertThat(manager.select(requiring(Capability.PERSISTENT)).name()).isEqualTo("disk");
    assertThat(manager.select(requiring(Capability.PERSISTENT, Capability.SHARED)).name())
        .isEqualTo("shared-disk");
    assertThat(manager.select(requiring(Capability.DISTRIBUTED)).name()).isEqualTo("cluster");
    assertThat(manager.select(requiring(Capability.IN_PROCESS)).name()).isEqualTo("caffeine");
  }

  @Test
  void select_requiredCapabilitiesEqualPriorities_picksByName() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("bravo", 50, Capability.SHARED),
        new FakeProvider("alpha", 50, Capability.SHARED));

    assertThat(manager.select(requiring(Capability.SHARED)).name()).isEqualTo("alpha");
  }

  @Test
  void create_requiredCapabilities_createsTheSelectedEngine() {
    FakeProvider caffeine = new FakeProvider("caffeine", 100, Capability.IN_PROCESS);
    FakeProvider disk = new FakeProvider("disk", 60, Capability.PERSISTENT);
    EngineManager manager = EngineManager.of(caffeine, disk);

    try (CacheEngine engine = manager.create(requiring(Capability.PERSISTENT))) {
      assertThat(engine).isSameAs(disk.onlyEngine());
      assertThat(caffeine.created()).isEmpty();
    }
  }

  @Test
  void select_requiredCapabilityNoAvailableEngineHas_throwsNamingIt() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("caffeine", 100, Capability.IN_PROCESS),
        FakeProvider.unavailable("redis", 10, "server down", Capability.SHARED));

    CacheConfigException e = catchThrowableOfType(CacheConfigException.class,
        () -> manager.select(requiring(Capability.SHARED)));

    assertThat(e.key()).isEqualTo("require");
    assertThat(e.getMessage())
        .contains("No available engine has the required capabilities shared")
        .contains("Installed engines: caffeine, redis (unavailable: server down)")
        .contains("No installed engine has them.");
  }

  // --- default choice -----------------------------------------------------------------------

  @Test
  void select_nothingNamedOrRequired_choosesCaffeineOverEqualPriorityEngineSortedFirst() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("aaa", 100), new FakeProvider("caffeine", 100));

    assertThat(manager.engines().get(0).name()).isEqualTo("aaa");
    assertThat(manager.select(CacheConfig.defaults()).name()).isEqualTo("caffeine");
  }

  @Test
  void select_nothingNamedOrRequired_choosesCaffeineOverLowerPriorityEngines() {
    FakeProvider caffeine = new FakeProvider("caffeine", 10);
    EngineManager manager = EngineManager.of(
        new FakeProvider("disk", 5, Capability.PERSISTENT), caffeine,
        new FakeProvider("redis", 1, Capability.SHARED));

    assertThat(manager.select(CacheConfig.defaults()).name()).isEqualTo("caffeine");
    try (CacheEngine engine = manager.create(CacheConfig.defaults())) {
      assertThat(engine).isSameAs(caffeine.onlyEngine());
    }
  }

  @Test
  void select_nothingNamedOrRequiredAndHigherPriorityEngine_choosesTheHigherPriorityEngine() {
    // The provider javadoc asks engines that need a server or disk to stay below caffeine's 100;
    // one that does not is preferred, as "highest priority wins" says.
    EngineManager manager = EngineManager.of(
        new FakeProvider("caffeine", 100), new FakeProvider("custom", 200));

    assertThat(manager.select(CacheConfig.defaults()).name()).isEqualTo("custom");
  }

  @Test
  void select_nothingNamedAndCaffeineUnavailable_choosesHighestPriorityAvailableEngine() {
    EngineManager manager = EngineManager.of(
        FakeProvider.unavailable("caffeine", 100, "caffeine jar missing"),
        new FakeProvider("disk", 20),
        new FakeProvider("redis", 30));

    assertThat(manager.select(CacheConfig.defaults()).name()).isEqualTo("redis");
  }

  @Test
  void select_nothingNamedAndCaffeineAbsent_choosesHighestPriorityAvailableEngine() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("disk", 20), FakeProvider.unavailable("redis", 30, "down"));

    assertThat(manager.select(CacheConfig.defaults()).name()).isEqualTo("disk");
  }

  @Test
  void select_nothingNamedAndNothingAvailable_throwsEngineUnavailableListingEngines() {
    EngineManager manager = EngineManager.of(
        FakeProvider.unavailable("caffeine", 100, "caffeine jar missing"));

    EngineUnavailableException e = catchThrowableOfType(EngineUnavailableException.class,
        () -> manager.select(CacheConfig.defaults()));

    assertThat(e.getMessage())
        .contains("No engine is available")
        .contains("caffeine (unavailable: caffeine jar missing)");
  }

  // --- faulty providers ---------------------------------------------------------------------

  @Test
  void engines_duplicateProviderNames_engineUnavailableNamingBothProviderClasses() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("caffeine", 100), new FakeProvider("disk", 10),
        new DuplicateProvider("disk"));

    EngineInfo disk = manager.engine("disk").orElseThrow();

    assertThat(disk.available()).isFalse();
    assertThat(disk.reason())
        .contains("2 providers are named 'disk'")
        .contains(FakeProvider.class.getName())
        .contains(DuplicateProvider.class.getName());
    assertThat(manager.engines()).extracting(EngineInfo::name).containsOnlyOnce("disk");
  }

  @Test
  void create_duplicateProviderNames_failsAndCreatesNothing() {
    FakeProvider first = new FakeProvider("disk", 10);
    DuplicateProvider second = new DuplicateProvider("disk");
    EngineManager manager = EngineManager.of(new FakeProvider("caffeine", 100), first, second);

    assertThatThrownBy(() -> manager.create(named("disk")))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("Engine 'disk' is not available")
        .hasMessageContaining(FakeProvider.class.getName())
        .hasMessageContaining(DuplicateProvider.class.getName());
    assertThat(first.created()).isEmpty();
    assertThat(second.created()).isEmpty();
  }

  @Test
  void select_duplicateProviderNamesAndNothingNamed_neverPicksTheAmbiguousEngine() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("caffeine", 100), new DuplicateProvider("caffeine"),
        new FakeProvider("disk", 10));

    assertThat(manager.select(CacheConfig.defaults()).name()).isEqualTo("disk");
  }

  @Test
  void create_providerThrowsRuntimeException_throwsEngineUnavailableWithCause() {
    IllegalStateException boom = new IllegalStateException("port 6379 refused");
    EngineManager manager = EngineManager.of(new FakeProvider("redis", 10, Set.of(),
        Availability::yes, config -> {
          throw boom;
        }));

    EngineUnavailableException e = catchThrowableOfType(EngineUnavailableException.class,
        () -> manager.create(named("redis")));

    assertThat(e.engine()).isEqualTo("redis");
    assertThat(e).hasCause(boom);
    assertThat(e.getCause()).isSameAs(boom);
    assertThat(e.getMessage())
        .contains("Engine 'redis' failed to start")
        .contains("port 6379 refused");
  }

  @Test
  void create_providerThrowsCacheConfigException_passesItThroughUnchanged() {
    CacheConfigException invalid = new CacheConfigException("folder", "folder locked");
    EngineManager manager = EngineManager.of(new FakeProvider("disk", 10, Set.of(),
        Availability::yes, config -> {
          throw invalid;
        }));

    assertThatThrownBy(() -> manager.create(named("disk"))).isSameAs(invalid);
  }

  @Test
  void create_providerThrowsEngineUnavailable_passesItThroughUnchanged() {
    EngineUnavailableException down = new EngineUnavailableException("redis", "server down");
    EngineManager manager = EngineManager.of(new FakeProvider("redis", 10, Set.of(),
        Availability::yes, config -> {
          throw down;
        }));

    assertThatThrownBy(() -> manager.create(named("redis"))).isSameAs(down);
  }

  @Test
  void create_providerReturnsNull_throwsEngineUnavailable() {
    EngineManager manager = EngineManager.of(new FakeProvider("odd", 10, Set.of(),
        Availability::yes, config -> null));

    assertThatThrownBy(() -> manager.create(named("odd")))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("Engine 'odd' failed to start")
        .hasMessageContaining("create returned null");
  }

  @Test
  void engines_availabilityThrows_reportedUnavailableWithTheFailure() {
    EngineManager manager = EngineManager.of(
        new FakeProvider("caffeine", 100),
        new FakeProvider("flaky", 10, Set.of(), () -> {
          throw new IllegalStateException("probe exploded");
        }, null));

    EngineInfo flaky = manager.engine("flaky").orElseThrow();

    assertThat(flaky.available()).isFalse();
    assertThat(flaky.reason())
        .contains("availability check failed")
        .contains("probe exploded");
    assertThatThrownBy(() -> manager.create(named("flaky")))
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("probe exploded");
    assertThat(manager.select(CacheConfig.defaults()).name()).isEqualTo("caffeine");
  }

  @Test
  void engines_availabilityThrowsLinkageError_reportedUnavailable() {
    EngineManager manager = EngineManager.of(new FakeProvider("ehcache", 10, Set.of(), () -> {
      throw new NoClassDefFoundError("org/ehcache/CacheManager");
    }, null));

    EngineInfo info = manager.engine("ehcache").orElseThrow();

    assertThat(info.available()).isFalse();
    assertThat(info.reason()).contains("org/ehcache/CacheManager");
  }

  // --- class-loader discovery ---------------------------------------------------------------

  @Test
  void forClassLoader_sameLoaderTwice_returnsSameInstance() {
    ClassLoader loader = getClass().getClassLoader();

    assertThat(EngineManager.forClassLoader(loader))
        .isSameAs(EngineManager.forClassLoader(loader));
  }

  @Test
  void forClassLoader_differentLoaders_returnsDifferentInstances() throws Exception {
    try (URLClassLoader other = new URLClassLoader(new URL[0], getClass().getClassLoader())) {
      assertThat(EngineManager.forClassLoader(other))
          .isNotSameAs(EngineManager.forClassLoader(getClass().getClassLoader()));
    }
  }

  @Test
  void forClassLoader_nullLoader_throwsNullPointerException() {
    assertThatThrownBy(() -> EngineManager.forClassLoader(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void forClassLoader_providerRegisteredInMetaInfServices_isDiscovered() {
    EngineManager manager = EngineManager.forClassLoader(getClass().getClassLoader());

    assertThat(manager.engines())
        .filteredOn(info -> info.name().equals(ServiceLoadedTestProvider.NAME))
        .singleElement()
        .satisfies(info -> {
          assertThat(info.available()).isTrue();
          assertThat(info.provider()).isEqualTo(ServiceLoadedTestProvider.class.getName());
          assertThat(info.capabilities()).containsExactly(Capability.BULK);
          assertThat(info.priority()).isEqualTo(-1_000);
        });
    try (CacheEngine engine = manager.create(named(ServiceLoadedTestProvider.NAME))) {
      assertThat(engine.name()).isEqualTo(ServiceLoadedTestProvider.NAME);
    }
  }

  @Test
  void forClassLoader_loaderWithoutTheServiceFile_doesNotSeeTheProvider() throws Exception {
    // A loader with no parent but the platform loader sees neither the test classes nor their
    // META-INF/services file.
    try (URLClassLoader isolated = new URLClassLoader(new URL[0],
        ClassLoader.getPlatformClassLoader())) {
      assertThat(EngineManager.forClassLoader(isolated).engines())
          .extracting(EngineInfo::name)
          .doesNotContain(ServiceLoadedTestProvider.NAME);
    }
  }

  @Test
  void getDefault_contextLoaderIsTestLoader_discoversTheRegisteredProvider() {
    Thread thread = Thread.currentThread();
    ClassLoader saved = thread.getContextClassLoader();
    thread.setContextClassLoader(getClass().getClassLoader());
    try {
      assertThat(EngineManager.getDefault())
          .isSameAs(EngineManager.forClassLoader(getClass().getClassLoader()));
      assertThat(EngineManager.getDefault().engine(ServiceLoadedTestProvider.NAME)).isPresent();
    } finally {
      thread.setContextClassLoader(saved);
    }
  }

  @Test
  void of_providers_isNotTheClassLoaderManager() {
    EngineProvider provider = new FakeProvider("mem", 100);

    EngineManager manager = EngineManager.of(provider);

    assertThat(manager.engines()).extracting(EngineInfo::name).containsExactly("mem");
    assertThat(manager.toString()).isEqualTo("EngineManager[mem]");
  }
}
