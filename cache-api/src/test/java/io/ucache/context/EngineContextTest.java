package io.ucache.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.Capability;
import io.ucache.EngineUnavailableException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EngineContextTest {

  private final FakeProvider provider = new FakeProvider("caffeine", 100, Capability.IN_PROCESS);
  private final EngineManager manager = EngineManager.of(provider);
  private final CacheConfig config = CacheConfig.builder().maxSize(10).build();

  @BeforeEach
  void noContextBefore() {
    assertThat(EngineContext.current()).isEmpty();
  }

  @AfterEach
  void noContextLeftBehind() {
    // A test that leaks a binding would make the next test on this thread see it.
    assertThat(EngineContext.current()).isEmpty();
  }

  private EngineContext open() {
    return EngineContext.open(config, manager);
  }

  @Test
  void open_thenClose_closesTheEngine() {
    EngineContext ctx = open();
    FakeEngine engine = provider.onlyEngine();

    assertThat(ctx.engine()).isSameAs(engine);
    assertThat(ctx.config()).isEqualTo(config);
    assertThat(ctx.isClosed()).isFalse();
    assertThat(engine.closeCount()).isZero();

    ctx.close();

    assertThat(ctx.isClosed()).isTrue();
    assertThat(engine.closeCount()).isEqualTo(1);
    assertThat(ctx.toString()).contains("caffeine").contains("closed");
  }

  @Test
  void open_passesTheConfigToTheProvider() {
    try (EngineContext ctx = open()) {
      assertThat(provider.configs()).containsExactly(config);
      assertThat(ctx.engine().config()).isSameAs(config);
    }
  }

  @Test
  void current_insideBlock_isTheContextAndEmptyOutside() {
    assertThat(EngineContext.current()).isEmpty();

    try (EngineContext ctx = open()) {
      assertThat(EngineContext.current()).containsSame(ctx);
    }

    assertThat(EngineContext.current()).isEmpty();
    assertThat(provider.onlyEngine().closeCount()).isEqualTo(1);
  }

  @Test
  void current_nestedContexts_restoredInOrder() {
    EngineContext outer = open();
    assertThat(EngineContext.current()).containsSame(outer);

    EngineContext inner = open();
    assertThat(EngineContext.current()).containsSame(inner);
    assertThat(inner.engine()).isNotSameAs(outer.engine());

    inner.close();
    assertThat(EngineContext.current()).containsSame(outer);
    assertThat(((FakeEngine) inner.engine()).closeCount()).isEqualTo(1);
    assertThat(((FakeEngine) outer.engine()).closeCount()).isZero();

    outer.close();
    assertThat(EngineContext.current()).isEmpty();
    assertThat(((FakeEngine) outer.engine()).closeCount()).isEqualTo(1);
  }

  @Test
  void current_nestedTryWithResources_restoredInOrder() {
    try (EngineContext outer = open()) {
      try (EngineContext inner = open()) {
        assertThat(EngineContext.current()).containsSame(inner);
        try (EngineContext innermost = open()) {
          assertThat(EngineContext.current()).containsSame(innermost);
        }
        assertThat(EngineContext.current()).containsSame(inner);
      }
      assertThat(EngineContext.current()).containsSame(outer);
    }
    assertThat(EngineContext.current()).isEmpty();
    assertThat(provider.created()).hasSize(3)
        .allSatisfy(engine -> assertThat(engine.closeCount()).isEqualTo(1));
  }

  @Test
  void close_bodyThrows_closesEngineAndRestoresOuter() {
    IllegalStateException failure = new IllegalStateException("body failed");

    try (EngineContext outer = open()) {
      Throwable thrown = catchThrowable(() -> {
        try (EngineContext inner = open()) {
          assertThat(EngineContext.current()).containsSame(inner);
          throw failure;
        }
      });

      assertThat(thrown).isSameAs(failure);
      assertThat(thrown.getSuppressed()).isEmpty();
      assertThat(provider.created().get(1).closeCount()).isEqualTo(1);
      assertThat(EngineContext.current()).containsSame(outer);
    }
    assertThat(EngineContext.current()).isEmpty();
  }

  @Test
  void close_earlyReturn_closesEngineAndClearsCurrent() {
    Optional<EngineContext> seen = firstContextOrReturn(true);

    assertThat(seen).isPresent();
    assertThat(seen.get().isClosed()).isTrue();
    assertThat(provider.onlyEngine().closeCount()).isEqualTo(1);
    assertThat(EngineContext.current()).isEmpty();
  }

  private Optional<EngineContext> firstContextOrReturn(boolean returnEarly) {
    try (EngineContext ctx = open()) {
      if (returnEarly) {
        return EngineContext.current();
      }
      assertThat(ctx.isClosed()).isFalse();
    }
    return Optional.empty();
  }

  @Test
  void close_breakOutOfLoop_closesEngine() {
    for (int i = 0; i < 3; i++) {
      try (EngineContext ctx = open()) {
        if (ctx.engine() != null) {
          break;
        }
      }
    }

    assertThat(provider.onlyEngine().closeCount()).isEqualTo(1);
    assertThat(EngineContext.current()).isEmpty();
  }

  @Test
  void close_bodyThrowsAndCloseFails_bodyExceptionThrownWithCloseFailureSuppressed() {
    IllegalStateException closeFailure = new IllegalStateException("close failed");
    provider.failingOnClose(closeFailure);
    IllegalArgumentException bodyFailure = new IllegalArgumentException("body failed");

    Throwable thrown = catchThrowable(() -> {
      try (EngineContext ctx = open()) {
        assertThat(ctx.isClosed()).isFalse();
        throw bodyFailure;
      }
    });

    assertThat(thrown).isSameAs(bodyFailure);
    assertThat(thrown.getSuppressed()).containsExactly(closeFailure);
    assertThat(provider.onlyEngine().closeCount()).isEqualTo(1);
    assertThat(EngineContext.current()).isEmpty();
  }

  @Test
  void close_closeFailsWithoutBodyException_closeFailureThrownAndBindingRestored() {
    IllegalStateException closeFailure = new IllegalStateException("close failed");

    try (EngineContext outer = open()) {
      provider.failingOnClose(closeFailure);
      Throwable thrown = catchThrowable(() -> {
        try (EngineContext inner = open()) {
          assertThat(EngineContext.current()).containsSame(inner);
        }
      });

      assertThat(thrown).isSameAs(closeFailure);
      assertThat(EngineContext.current()).containsSame(outer);
    }
    assertThat(EngineContext.current()).isEmpty();
  }

  @Test
  void close_calledTwice_closesEngineOnce() {
    EngineContext ctx = open();

    ctx.close();
    ctx.close();

    assertThat(provider.onlyEngine().closeCount()).isEqualTo(1);
    assertThat(ctx.isClosed()).isTrue();
  }

  @Test
  void close_innerClosedTwiceAfterOuterReopened_doesNotDisturbCurrent() {
    EngineContext first = open();
    first.close();
    try (EngineContext second = open()) {
      first.close();

      assertThat(EngineContext.current()).containsSame(second);
    }
    assertThat(provider.created()).hasSize(2)
        .allSatisfy(engine -> assertThat(engine.closeCount()).isEqualTo(1));
  }

  @Test
  void current_outerClosedBeforeInner_skipsClosedContexts() {
    EngineContext outer = open();
    EngineContext inner = open();

    outer.close();

    assertThat(((FakeEngine) outer.engine()).closeCount()).isEqualTo(1);
    assertThat(EngineContext.current()).containsSame(inner);

    inner.close();

    assertThat(EngineContext.current()).isEmpty();
    assertThat(((FakeEngine) inner.engine()).closeCount()).isEqualTo(1);
  }

  @Test
  void current_middleClosedFirst_innerThenOutermostCurrent() {
    EngineContext outermost = open();
    EngineContext middle = open();
    EngineContext inner = open();

    middle.close();
    assertThat(EngineContext.current()).containsSame(inner);

    inner.close();
    assertThat(EngineContext.current()).containsSame(outermost);

    outermost.close();
    assertThat(EngineContext.current()).isEmpty();
  }

  @Test
  void current_innermostClosedOutOfBand_skipsToFirstOpenAncestor() {
    EngineContext outer = open();
    EngineContext middle = open();
    EngineContext inner = open();

    // Close the inner two in the wrong order: the head of the chain is closed last.
    middle.close();
    inner.close();

    assertThat(EngineContext.current()).containsSame(outer);
    outer.close();
    assertThat(EngineContext.current()).isEmpty();
  }

  @Test
  void open_whileOuterClosedOutOfOrder_newContextsParentSkipsClosed() {
    EngineContext outer = open();
    EngineContext inner = open();
    outer.close();

    try (EngineContext third = open()) {
      assertThat(EngineContext.current()).containsSame(third);
      inner.close();
      assertThat(EngineContext.current()).containsSame(third);
    }
    assertThat(EngineContext.current()).isEmpty();
  }

  @Test
  void close_fromAnotherThread_openerCurrentSkipsIt() throws InterruptedException {
    EngineContext outer = open();
    EngineContext inner = open();
    AtomicReference<Optional<EngineContext>> seenByCloser = new AtomicReference<>();
    AtomicReference<Throwable> closerFailure = new AtomicReference<>();

    Thread closer = new Thread(() -> {
      try {
        seenByCloser.set(EngineContext.current());
        inner.close();
      } catch (Throwable t) {
        closerFailure.set(t);
      }
    }, "closer");
    closer.start();
    closer.join();

    assertThat(closerFailure.get()).isNull();
    assertThat(seenByCloser.get()).as("bindings are per thread").isEmpty();
    assertThat(inner.isClosed()).isTrue();
    assertThat(((FakeEngine) inner.engine()).closeCount()).isEqualTo(1);
    assertThat(EngineContext.current()).containsSame(outer);

    inner.close();
    assertThat(((FakeEngine) inner.engine()).closeCount()).isEqualTo(1);
    assertThat(EngineContext.current()).containsSame(outer);

    outer.close();
    assertThat(EngineContext.current()).isEmpty();
  }

  @Test
  void close_onlyContextClosedFromAnotherThread_openerCurrentEmpty() throws InterruptedException {
    EngineContext ctx = open();

    Thread closer = new Thread(ctx::close, "closer");
    closer.start();
    closer.join();

    assertThat(provider.onlyEngine().closeCount()).isEqualTo(1);
    assertThat(EngineContext.current()).isEmpty();
  }

  @Test
  void current_otherThread_doesNotInheritBinding() throws InterruptedException {
    AtomicReference<Optional<EngineContext>> seen = new AtomicReference<>();

    try (EngineContext ctx = open()) {
      Thread other = new Thread(() -> seen.set(EngineContext.current()), "other");
      other.start();
      other.join();
      assertThat(EngineContext.current()).containsSame(ctx);
    }

    assertThat(seen.get()).isEmpty();
  }

  @Test
  void open_engineFailsToStart_currentUnchanged() {
    EngineManager failing = EngineManager.of(new FakeProvider("caffeine", 100),
        FakeProvider.unavailable("redis", 10, "server down"));

    try (EngineContext outer = open()) {
      assertThatThrownBy(() -> EngineContext.open(
          CacheConfig.builder().engine("redis").build(), failing))
          .isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("server down");
      assertThat(EngineContext.current()).containsSame(outer);
    }
  }

  @Test
  void open_requirementEngineCannotHonour_throwsAndBindsNothing() {
    CacheConfig persistent = CacheConfig.builder().require(Capability.PERSISTENT).build();

    assertThatThrownBy(() -> EngineContext.open(persistent, manager))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("persistent");
    assertThat(provider.created()).isEmpty();
  }

  @Test
  void open_nullConfig_throwsNullPointerException() {
    assertThatThrownBy(() -> EngineContext.open(null, manager))
        .isInstanceOf(NullPointerException.class);
    assertThat(provider.created()).isEmpty();
  }

  @Test
  void cache_delegatesToTheEngine() {
    try (EngineContext ctx = open()) {
      assertThatThrownBy(() -> ctx.cache("users", String.class, String.class))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("FakeEngine");
    }
  }

  // --- CacheContext -------------------------------------------------------------------------

  @Test
  void cacheContextOpen_manyTimes_newEngineEachTime() {
    CacheContext reusable = CacheContext.of(config, manager);

    for (int i = 0; i < 3; i++) {
      try (EngineContext ctx = reusable.open()) {
        assertThat(EngineContext.current()).containsSame(ctx);
        assertThat(ctx.config()).isEqualTo(config);
      }
    }

    List<FakeEngine> engines = provider.created();
    assertThat(engines).hasSize(3).doesNotHaveDuplicates()
        .allSatisfy(engine -> assertThat(engine.closeCount()).isEqualTo(1));
    assertThat(provider.configs()).containsOnly(config);
    assertThat(reusable.config()).isSameAs(config);
  }

  @Test
  void cacheContextOpen_nestedFromSameContext_twoEnginesRestoredInOrder() {
    CacheContext reusable = CacheContext.of(config, manager);

    try (EngineContext outer = reusable.open()) {
      try (EngineContext inner = reusable.open()) {
        assertThat(inner.engine()).isNotSameAs(outer.engine());
        assertThat(EngineContext.current()).containsSame(inner);
      }
      assertThat(EngineContext.current()).containsSame(outer);
    }
  }

  @Test
  void cacheContextOf_nulls_throwNullPointerException() {
    assertThatThrownBy(() -> CacheContext.of(null, manager))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> CacheContext.of(config, null))
        .isInstanceOf(NullPointerException.class);
  }
}
