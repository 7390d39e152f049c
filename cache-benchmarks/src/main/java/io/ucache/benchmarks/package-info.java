/**
 * JMH benchmarks of UCache against the raw drivers (Caffeine, Ehcache, Lettuce) and Spring's
 * {@code @Cacheable}, the deterministic counts (hit ratio, single-flight loads) that go with them,
 * and {@link io.ucache.benchmarks.BenchmarkSuite}, which runs everything and writes the report.
 * Not deployed.
 */
@org.jspecify.annotations.NullMarked
package io.ucache.benchmarks;
