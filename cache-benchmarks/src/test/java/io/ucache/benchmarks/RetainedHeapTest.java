package io.ucache.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The retained-heap count walks real caches: each side's bytes per entry are what its entries
 * hold, and UCache adds no structure of its own per entry.
 */
class RetainedHeapTest {

  @Test
  void perEntry_eachSideRetainsItsKeysValuesAndOwnStructure() {
    List<Counts.Count> counts = RetainedHeap.perEntry(20_000);

    assertThat(counts).extracting(Counts.Count::name).containsExactly(
        "heapPerEntry.caffeine", "heapPerEntry.ucache", "heapPerEntry.annotation");
    // A key "sku-<n>" and a value "price of sku-<n>" are two Strings and two byte arrays, about
    // 100 bytes with compressed references; a map node or two more, a few tens of bytes each.
    assertThat(counts).allSatisfy(count ->
        assertThat(count.value()).as(count.name()).isBetween(100.0, 400.0));
    // The engine keeps values in Caffeine as they are, and @UCache keys a one-String method by
    // the String: neither adds a structure of its own per entry.
    double raw = counts.get(0).value();
    assertThat(counts.get(1).value()).as("engine").isCloseTo(raw, withinPercentage(15));
    assertThat(counts.get(2).value()).as("@UCache").isCloseTo(raw, withinPercentage(15));
  }
}
