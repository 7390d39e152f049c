package io.ucache.examples;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.ehcache.EhcacheSettings;
import io.ucache.interceptor.UCacheInterceptor;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Traces: UCache reports its calls to Micrometer's {@link ObservationRegistry}, and Micrometer's
 * OpenTelemetry bridge makes spans of them. A {@code @UCache} miss on a disk engine is a call
 * span with the method's run as its child; the hit after it is one short span.
 */
public final class TracingExample {
  private TracingExample() {}

  /** The spans, in the order they ended. */
  public record Result(List<SpanData> spans) {}

  public interface Quotes {
    @UCache(name = "quotes", ttl = "10m")
    String quote(String symbol);
  }

  public static void main(String[] args) {
    run(System.out, EhcacheSettings.BASE_DIR.defaultValue().orElseThrow());
  }

  public static Result run(PrintStream out, Path baseDir) {
    KeepingExporter exporter = new KeepingExporter();
    try (SdkTracerProvider tracing = SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()) {
      // Micrometer Tracing over OpenTelemetry, as Spring Boot sets it up for an application.
      ObservationRegistry registry = ObservationRegistry.create();
      registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(
          new OtelTracer(tracing.get("quotes"), new OtelCurrentTraceContext(), event -> { })));

      // [tracing]
      CacheConfig config = CacheConfig.builder()
          .engine("ehcache")
          .set(EhcacheSettings.BASE_DIR, baseDir)
          .set(EhcacheSettings.FOLDER, "tracing")
          .observationRegistry(registry)   // spans for calls of disk and remote engines, and loads
          .build();
      try (CacheEngine engine = EngineManager.getDefault().create(config);
          UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
        Quotes quotes = ucache.proxy(Quotes.class, symbol -> symbol + " 187.20");
        quotes.quote("ACME");   // span 'get quotes' (miss), its child 'load quotes'
        quotes.quote("ACME");   // span 'get quotes' (hit)
      }
      // [tracing]
    }
    for (SpanData span : exporter.spans) {
      String parent = exporter.spans.stream()
          .filter(other -> other.getSpanId().equals(span.getParentSpanId()))
          .map(other -> "'" + other.getName() + "'").findFirst().orElse("none");
      out.printf("  span '%s', ucache.result=%s, parent %s%n", span.getName(),
          span.getAttributes().get(AttributeKey.stringKey("ucache.result")), parent);
    }
    return new Result(List.copyOf(exporter.spans));
  }

  /** Keeps the spans as they end (an application exports them to its tracing backend). */
  static final class KeepingExporter implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> ended) {
      spans.addAll(ended);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
