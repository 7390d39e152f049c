package io.ucache.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ucache.context.EngineContext;
import io.ucache.context.EngineInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

  @AfterEach
  void noContextLeaks() {
    assertThat(EngineContext.current()).isEmpty();
  }

  private String printed() {
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void engines_defaultClassPath_listsCaffeineAvailable() {
    List<EngineInfo> engines = EnginesExample.run(out);

    assertThat(engines).anySatisfy(e -> {
      assertThat(e.name()).isEqualTo("caffeine");
      assertThat(e.available()).isTrue();
    });
    assertThat(printed()).contains("caffeine").contains("available").contains("in-process");
  }

  @Test
  void scopedContext_secondCall_isServedFromCacheAndEngineClosedAfter() {
    ScopedContextExample.Result result = ScopedContextExample.run(out, 200_000);

    assertThat(result.value()).isEqualTo(SlowService.countPrimesBelow(200_000));
    assertThat(result.engineClosedAfter()).isTrue();
    assertThat(printed()).contains("cold call", "first warm call", "warm calls");
  }

  @Test
  void annotation_secondCallHits_contextBlockUsesItsOwnEngine() {
    AnnotationExample.Result result = AnnotationExample.run(out, 100_000);

    assertThat(result.runsOutside()).as("the second call, with another locale, hit").isEqualTo(1);
    assertThat(result.runsInsideContext()).as("a fresh engine in the block: one run, one hit")
        .isEqualTo(1);
    assertThat(result.contextCaches()).containsExactly("prime-counts");
    assertThat(result.runsAfterContext()).as("back on the interceptor's engine: a hit").isZero();
    assertThat(printed()).contains("cold call", "warm call");
  }

  @Test
  void jcache_invokeIsAppliedAndTheCacheUnwrapsToUCache() {
    assertThat(JCacheExample.run(out)).isEqualTo(11);
    assertThat(printed()).contains("apples left: 11", "UCache cache 'stock'");
  }

  @Test
  void slowService_countsPrimes() {
    assertThat(SlowService.countPrimesBelow(2)).isZero();
    assertThat(SlowService.countPrimesBelow(30)).isEqualTo(10);
    assertThat(SlowService.countPrimesBelow(1_000)).isEqualTo(168);
  }

  @Test
  void reusableContext_eachOpen_startsAFreshEngine() {
    assertThat(ReusableContextExample.run(out)).containsExactly(0, 0);
    assertThat(printed()).contains("2 distinct words cached, 1 hits");
  }

  @Test
  void singleFlight_sixteenThreads_loadOnce() throws Exception {
    SingleFlightExample.Result result = SingleFlightExample.run(out, 16);

    assertThat(result.loads()).isEqualTo(1);
    assertThat(result.distinctAnswers()).isEqualTo(1);
  }

  @Test
  void ttl_entry_presentThenGoneAfterTtl() {
    Duration ttl = Duration.ofMillis(50);

    TtlExample.Result result = TtlExample.run(out, ttl);

    assertThat(result.presentAtFirst()).isTrue();
    assertThat(result.goneAfter()).isGreaterThanOrEqualTo(ttl);
  }

  @Test
  void refresh_annotatedMethod_refreshedInTheBackgroundThenServedStaleWhileItsSourceIsDown() {
    RefreshExample.Result result = RefreshExample.run(out);

    assertThat(result.first()).isCloseTo(1.10, within(1e-9));
    assertThat(result.pastRefreshAfter()).as("returned at once, not reloaded")
        .isEqualTo(result.first());
    assertThat(result.refreshed()).isCloseTo(1.11, within(1e-9));
    assertThat(result.whileSourceDown()).as("the last rate, source down")
        .isEqualTo(result.refreshed());
    assertThat(result.sourceCalls()).as("first call, one refresh, one failed reload")
        .isEqualTo(3);
    assertThat(result.stats().refreshCount()).isEqualTo(1);
    assertThat(result.stats().staleOnErrorCount()).isEqualTo(1);
    assertThat(printed()).contains("the method ran 3 times; 1 refresh(es), 1 stale read(s)");
  }

  @Test
  void cachePut_keepsTheCacheUpToDate_andOneEvictionClearsTwoCaches() {
    CachePutExample.Result result = CachePutExample.run(out);

    assertThat(result.before()).isEqualTo("Kettle");
    assertThat(result.afterRename()).isEqualTo("Steel kettle");
    assertThat(result.afterDiscontinue()).isEqualTo("(discontinued)");
    assertThat(result.stockAfterDiscontinue()).isZero();
    assertThat(result.databaseReads()).as("describe and stock, before and after discontinue")
        .isEqualTo(4);
  }

  @Test
  void conditions_blankQuerySkipsTheCache_emptyResultIsNotCached() {
    ConditionsExample.Result result = ConditionsExample.run(out);

    assertThat(result.blankRuns()).isEqualTo(2);
    assertThat(result.noHitRuns()).isEqualTo(2);
    assertThat(result.hitRuns()).isEqualTo(1);
  }

  @Test
  void bulk_runsOnlyForTheIdsThatMissed() {
    BulkExample.Result result = BulkExample.run(out);

    assertThat(result.queries()).containsExactly(List.of(1L), List.of(2L, 3L), List.of(4L));
    assertThat(result.second()).containsOnlyKeys(1L, 2L, 3L, 4L);
  }

  @Test
  void tags_offboardingATenantInvalidatesItsEntriesInBothCaches() {
    assertThat(TagsExample.run(out)).containsExactly("order acme/1", "invoice acme/7",
        "order globex/1", "order acme/1", "invoice acme/7");
  }

  @Test
  void tracing_aMissIsACallSpanWithTheLoadInside_theHitOneSpan(@TempDir Path baseDir) {
    List<SpanData> spans = TracingExample.run(out, baseDir).spans();

    assertThat(spans).extracting(SpanData::getName)
        .containsExactly("load quotes", "get quotes", "get quotes");
    assertThat(spans.get(0).getParentSpanId()).isEqualTo(spans.get(1).getSpanId());
    assertThat(spans).extracting(span -> span.getAttributes().get(
        io.opentelemetry.api.common.AttributeKey.stringKey("ucache.result")))
        .containsExactly("success", "miss", "hit");
    assertThat(printed()).contains("span 'load quotes', ucache.result=success, parent 'get quotes'");
  }

  @Test
  void reactive_emittedValuesCached_eachPublisherSubscribedOnce() {
    ReactiveExample.Result result = ReactiveExample.run(out);

    assertThat(result.price()).isEqualTo(9.99);
    assertThat(result.history()).containsExactly(9.49, 9.79, 9.99);
    assertThat(result.subscriptions()).isEqualTo(2);
  }

  @Test
  void manualEngine_isClosedByItsOwner() {
    assertThat(ManualEngineExample.run(out).isClosed()).isTrue();
    assertThat(printed()).contains("user 42 = Ada");
  }

  @Test
  void disk_secondRun_findsWhatTheFirstStored(@TempDir Path baseDir) {
    DiskExample.Result first = DiskExample.run(out, baseDir);
    DiskExample.Result second = DiskExample.run(out, baseDir);

    assertThat(first.run()).isEqualTo(1);
    assertThat(first.storedEarlier()).isEmpty();
    assertThat(first.computed()).isEqualTo(SlowService.countPrimesBelow(first.bound()));
    assertThat(second.run()).isEqualTo(2);
    assertThat(second.storedEarlier()).containsExactly(Map.entry(first.bound(), first.computed()));
    assertThat(printed()).contains("nothing stored by earlier runs")
        .contains("1 result(s) stored by earlier runs, such as primes below 10,000 = 1,229");
  }

  @Test
  void sharedDisk_oneEnginesWriteAndEvictionSeenByTheOther(@TempDir Path baseDir) {
    SharedDiskExample.Result result = SharedDiskExample.run(out, baseDir);

    assertThat(result.seenByOther()).isEqualTo("revenue 1,234");
    assertThat(result.reloaded()).isEqualTo("revenue 1,250");
    assertThat(result.computations()).isEqualTo(1);
    assertThat(printed()).contains("the batch job read the web server's write: revenue 1,234");
  }

  @Test
  void values_listOfRecordsThatAreNotSerializable_readBackAsDeclared(@TempDir Path baseDir) {
    ValuesExample.Result result = ValuesExample.run(out, baseDir);

    assertThat(result.orders()).containsExactly(new ValuesExample.Order("o-1", 1250),
        new ValuesExample.Order("o-2", 990));
    assertThat(result.keyText()).isEqualTo("ada:2026");
    assertThat(printed()).contains("2 orders read back as Order");
  }

  @Test
  void tour_runsEverySection(@TempDir Path baseDir) throws Exception {
    Tour.run(out, baseDir);

    assertThat(printed()).contains("1. Engines", "2. @UCache", "3. A slow function",
        "4. A reusable", "5. Single-flight", "6. A TTL", "7. Refresh-ahead", "8. @UCachePut",
        "9. Conditions", "10. An engine you create", "11. Results on disk",
        "12. A disk cache several processes",
        "the batch job read the web server's write", "Done in");
  }

  @Test
  void tour_secondRun_showsWhatTheFirstStoredOnDisk(@TempDir Path baseDir) throws Exception {
    Tour.run(out, baseDir);
    buffer.reset();

    Tour.run(out, baseDir);

    assertThat(printed()).contains("run 2,").contains("stored by earlier runs");
  }
}
