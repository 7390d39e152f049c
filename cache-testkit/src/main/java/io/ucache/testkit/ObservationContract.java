package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.observation.Observation;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Observations (traces) of cache calls on a real engine, read as OpenTelemetry spans through
 * Micrometer's bridge and the SDK's in-memory exporter ({@link Spans}), as a JUnit 5 class an
 * engine's test extends: on a remote or disk engine, a call is one {@code ucache.cache.operation}
 * span and a miss's load its child {@code ucache.cache.load} span, under the application's own
 * span; on an in-process engine only loads are spans and a hit makes none. Low-cardinality
 * attributes name the cache, engine, operation and result; the key only when asked.
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 * <b>Nulls:</b> the hooks must not return {@code null}.
 */
public abstract class ObservationContract {

  private final Spans spans = new Spans();
  private final List<AutoCloseable> resources = new ArrayList<>();

  /** For subclasses. */
  protected ObservationContract() {}

  /** A new builder for the engine under test; a fresh folder or namespace each call where engines share one. */
  protected abstract CacheConfig.Builder baseConfig();

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  /** A quote source whose one method is cached. */
  public interface Quotes {
    @UCache(name = "traced-quotes")
    String quote(String symbol);
  }

  @AfterEach
  final void closeResources() throws Exception {
    Collections.reverse(resources);
    for (AutoCloseable resource : resources) {
      resource.close();
    }
    spans.close();
  }

  private CacheEngine engine(UnaryOperator<CacheConfig.Builder> customize) {
    CacheEngine engine = manager().create(
        customize.apply(baseConfig().observationRegistry(spans.registry())).build());
    resources.add(engine);
    return engine;
  }

  private Quotes quotes(CacheEngine engine, AtomicInteger runs, boolean fail) {
    UCacheInterceptor interceptor = UCacheInterceptor.using(engine);
    resources.add(interceptor);
    return interceptor.proxy(Quotes.class, symbol -> {
      runs.incrementAndGet();
      if (fail) {
        throw new IllegalStateException("no quote for " + symbol);
      }
      return symbol + "=42";
    });
  }

  private static boolean inProcess(CacheEngine engine) {
    return engine.capabilities().contains(Capability.IN_PROCESS);
  }

  /** Runs {@code work} inside the application's own span, {@code request}. */
  private <T> T inRequest(Supplier<T> work) {
    return Observation.createNotStarted("request", spans.registry()).observe(work);
  }

  private void assertUCacheSpan(SpanData span, CacheEngine engine, String operation,
      String result) {
    assertThat(Spans.attribute(span, "ucache.cache")).isEqualTo("traced-quotes");
    assertThat(Spans.attribute(span, "ucache.engine")).isEqualTo(engine.name());
    assertThat(Spans.attribute(span, "ucache.operation")).isEqualTo(operation);
    assertThat(Spans.attribute(span, "ucache.result")).isEqualTo(result);
  }

  @Test
  void ucacheMiss_theMethodsRunIsALoadSpanUnderTheCall() {
    CacheEngine engine = engine(b -> b);
    AtomicInteger runs = new AtomicInteger();
    Quotes quotes = quotes(engine, runs, false);

    assertThat(inRequest(() -> quotes.quote("AAPL"))).isEqualTo("AAPL=42");

    SpanData request = spans.named("request");
    SpanData load = spans.named("load traced-quotes");
    assertUCacheSpan(load, engine, "load", "success");
    assertThat(load.getTraceId()).isEqualTo(request.getTraceId());
    if (inProcess(engine)) {
      // An in-process lookup is not traced: the load hangs off the application's span.
      assertThat(spans.names()).containsExactlyInAnyOrder("load traced-quotes", "request");
      assertThat(load.getParentSpanId()).isEqualTo(request.getSpanId());
    } else {
      SpanData call = spans.named("get traced-quotes");
      assertThat(spans.names()).containsExactlyInAnyOrder(
          "load traced-quotes", "get traced-quotes", "request");
      assertUCacheSpan(call, engine, "get", "miss");
      assertThat(call.getParentSpanId()).isEqualTo(request.getSpanId());
      assertThat(load.getParentSpanId()).isEqualTo(call.getSpanId());
    }
    assertThat(runs).hasValue(1);
  }

  @Test
  void ucacheHit_oneCallSpanOnARemoteEngine_noneInProcess() {
    CacheEngine engine = engine(b -> b);
    Quotes quotes = quotes(engine, new AtomicInteger(), false);
    quotes.quote("AAPL");
    spans.reset();

    assertThat(inRequest(() -> quotes.quote("AAPL"))).isEqualTo("AAPL=42");

    if (inProcess(engine)) {
      assertThat(spans.names()).containsExactly("request");
    } else {
      assertThat(spans.names()).containsExactlyInAnyOrder("get traced-quotes", "request");
      SpanData call = spans.named("get traced-quotes");
      assertUCacheSpan(call, engine, "get", "hit");
      assertThat(call.getParentSpanId()).isEqualTo(spans.named("request").getSpanId());
    }
  }

  @Test
  void methodFailure_theLoadSpanCarriesTheMethodsOwnException() {
    CacheEngine engine = engine(b -> b);
    Quotes quotes = quotes(engine, new AtomicInteger(), true);

    assertThatThrownBy(() -> inRequest(() -> quotes.quote("AAPL")))
        .isInstanceOf(IllegalStateException.class).hasMessage("no quote for AAPL");

    SpanData load = spans.named("load traced-quotes");
    assertUCacheSpan(load, engine, "load", "failure");
    assertThat(load.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(load.getEvents()).extracting(EventData::getName).contains("exception");
    assertThat(load.getEvents().stream()
        .map(event -> event.getAttributes().get(AttributeKey.stringKey("exception.type"))))
        .contains(IllegalStateException.class.getName());
    if (!inProcess(engine)) {
      SpanData call = spans.named("get traced-quotes");
      assertUCacheSpan(call, engine, "get", "miss");
      assertThat(call.getEvents().stream()
          .map(event -> event.getAttributes().get(AttributeKey.stringKey("exception.type"))))
          .as("the method's own exception, not UCache's wrapper")
          .containsExactly(IllegalStateException.class.getName());
    }
  }

  @Test
  void keys_absentUnlessTracingKeys() {
    CacheEngine plain = engine(b -> b);
    quotes(plain, new AtomicInteger(), false).quote("AAPL");
    assertThat(spans.ended()).isNotEmpty()
        .allSatisfy(span -> assertThat(Spans.attribute(span, "ucache.key")).isNull());
    spans.reset();

    CacheEngine keyed = engine(b -> b.tracingKeys(true));
    quotes(keyed, new AtomicInteger(), false).quote("MSFT");

    assertThat(Spans.attribute(spans.named("load traced-quotes"), "ucache.key")).contains("MSFT");
  }

  @Test
  void cacheCalls_remoteOnesAreSpans_inProcessOnesAreNot() {
    CacheEngine engine = engine(b -> b);
    Cache<String, String> cache = engine.cache("traced-quotes", String.class, String.class);

    cache.put("AAPL", "1");
    assertThat(cache.get("AAPL")).isEqualTo("1");
    assertThat(cache.get("MSFT")).isNull();
    cache.evict("AAPL");
    cache.clear();

    if (inProcess(engine)) {
      assertThat(spans.ended()).isEmpty();
      return;
    }
    assertThat(spans.names()).containsExactly("put traced-quotes", "get traced-quotes",
        "get traced-quotes", "evict traced-quotes", "clear traced-quotes");
    List<SpanData> ended = spans.ended();
    assertUCacheSpan(ended.get(0), engine, "put", "success");
    assertUCacheSpan(ended.get(1), engine, "get", "hit");
    assertUCacheSpan(ended.get(2), engine, "get", "miss");
    assertUCacheSpan(ended.get(3), engine, "evict", "success");
    assertUCacheSpan(ended.get(4), engine, "clear", "success");
    assertThat(ended).allSatisfy(span -> assertThat(span.getParentSpanContext().isValid())
        .as("a root span").isFalse());
  }

  @Test
  void getWithLoader_oneCallSpanWithTheLoadInside() {
    CacheEngine engine = engine(b -> b);
    Cache<String, String> cache = engine.cache("traced-quotes", String.class, String.class);

    assertThat(cache.get("AAPL", symbol -> symbol + "=42")).isEqualTo("AAPL=42");

    SpanData load = spans.named("load traced-quotes");
    if (inProcess(engine)) {
      assertThat(spans.names()).containsExactly("load traced-quotes");
    } else {
      SpanData call = spans.named("get traced-quotes");
      assertUCacheSpan(call, engine, "get", "miss");
      assertThat(load.getParentSpanId()).isEqualTo(call.getSpanId());
      assertThat(spans.names()).containsExactly("load traced-quotes", "get traced-quotes");
    }
  }
}
