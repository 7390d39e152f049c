package io.ucache.testkit;

import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Real tracing for a test: an {@link ObservationRegistry} whose observations Micrometer's
 * OpenTelemetry bridge turns into spans of the OpenTelemetry SDK, kept by its in-memory exporter
 * as each ends. Thread-safe; close it when done.
 */
public final class Spans implements AutoCloseable {

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private final SdkTracerProvider provider = SdkTracerProvider.builder()
      .addSpanProcessor(SimpleSpanProcessor.create(exporter))
      .build();
  private final ObservationRegistry registry = ObservationRegistry.create();

  public Spans() {
    OtelTracer tracer = new OtelTracer(provider.get("io.ucache.testkit"),
        new OtelCurrentTraceContext(), event -> { });
    registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
  }

  /** The registry to give UCache ({@code CacheConfig.Builder.observationRegistry}). */
  public ObservationRegistry registry() {
    return registry;
  }

  /** The spans ended so far, in the order they ended. */
  public List<SpanData> ended() {
    return exporter.getFinishedSpanItems();
  }

  /** The names of the spans ended so far, in the order they ended. */
  public List<String> names() {
    return ended().stream().map(SpanData::getName).toList();
  }

  /** Forgets the spans ended so far. */
  public void reset() {
    exporter.reset();
  }

  /** The one ended span called {@code name}. */
  public SpanData named(String name) {
    List<SpanData> found = ended().stream().filter(span -> span.getName().equals(name)).toList();
    if (found.size() != 1) {
      throw new AssertionError("Expected one span named '" + name + "', found " + names());
    }
    return found.get(0);
  }

  /** The span's attribute {@code key}, or null. */
  public static @Nullable String attribute(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  /** The span that {@code span} is a child of, among the ended ones. */
  public Optional<SpanData> parentOf(SpanData span) {
    return ended().stream()
        .filter(other -> other.getSpanId().equals(span.getParentSpanId()))
        .findFirst();
  }

  @Override
  public void close() {
    provider.close();
  }
}
