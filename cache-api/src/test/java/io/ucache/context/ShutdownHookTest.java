package io.ucache.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.EngineUnavailableException;
import io.ucache.spi.Availability;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, defects 18 and 19 (the {@code cache-api} half): the shutdown hook's registry of
 * open engines forgets closed ones, closes the open ones, and a context whose engine cannot
 * start leaves nothing behind. The SIGTERM itself is tested with a child JVM in the ehcache
 * module ({@code EhcacheSigtermTest}).
 */
class ShutdownHookTest {

  private final FakeProvider provider = new FakeProvider("caffeine", 100, Capability.IN_PROCESS);
  private final EngineManager manager = EngineManager.of(provider);

  @Test
  void create_thenCloseManyEngines_registryKeepsNoneOfThem() {
    int before = ShutdownHook.registered();
    CacheEngine open = manager.create(CacheConfig.defaults());
    assertThat(ShutdownHook.registered()).isEqualTo(before + 1);

    for (int i = 0; i < 1_000; i++) {
      manager.create(CacheConfig.defaults()).close();
      try (EngineContext context = EngineContext.open(CacheConfig.defaults(), manager)) {
        assertThat(context.engine().isClosed()).isFalse();
      }
    }

    assertThat(ShutdownHook.registered()).as("only the engine still open").isEqualTo(before + 1);
    open.close();
    assertThat(ShutdownHook.registered()).isEqualTo(before);
  }

  @Test
  void closeAll_closesEveryEngineStillOpenEvenIfOneFails() {
    List<FakeEngine> open = new ArrayList<>();
    FakeProvider failing = new FakeProvider("ehcache", 90, Capability.PERSISTENT)
        .failingOnClose(new IllegalStateException("disk gone"));
    CacheEngine broken = EngineManager.of(failing).create(CacheConfig.builder()
        .engine("ehcache").build());
    for (int i = 0; i < 3; i++) {
      open.add((FakeEngine) manager.create(CacheConfig.defaults()));
    }
    FakeEngine closedByOwner = (FakeEngine) manager.create(CacheConfig.defaults());
    closedByOwner.close();

    ShutdownHook.closeAll();

    assertThat(open).allSatisfy(engine -> assertThat(engine.closeCount()).isOne());
    assertThat(((FakeEngine) broken).closeCount()).isOne();
    assertThat(ShutdownHook.registered()).isZero();
  }

  @Test
  void create_withTheHookTurnedOff_registersNothing() {
    int before = ShutdownHook.registered();
    System.setProperty(ShutdownHook.PROPERTY, "false");
    try {
      CacheEngine engine = manager.create(CacheConfig.defaults());
      assertThat(ShutdownHook.registered()).isEqualTo(before);
      engine.close();
    } finally {
      System.clearProperty(ShutdownHook.PROPERTY);
    }
  }

  @Test
  void open_engineFailsToStart_leavesNoContextAndTheOuterOneCurrent() {
    EngineManager failing = EngineManager.of(new FakeProvider("caffeine", 100,
        Set.of(Capability.IN_PROCESS), Availability::yes, config -> {
          throw new IllegalStateException("cannot start");
        }));
    try (EngineContext outer = EngineContext.open(CacheConfig.defaults(), manager)) {
      int before = ShutdownHook.registered();

      assertThatThrownBy(() -> EngineContext.open(CacheConfig.defaults(), failing))
          .isInstanceOf(EngineUnavailableException.class).hasMessageContaining("cannot start");

      assertThat(EngineContext.current()).contains(outer);
      assertThat(ShutdownHook.registered()).isEqualTo(before);
    }
    assertThat(EngineContext.current()).isEmpty();
  }
}
