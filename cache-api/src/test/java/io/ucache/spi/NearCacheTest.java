package io.ucache.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import org.junit.jupiter.api.Test;

/** The near map's own rules, without an engine: what a copy is served under. */
class NearCacheTest {

  @Test
  void copy_feedMarkedLostBeforeTheFlush_noCopyServedInBetween() {
    NearFeed feed = new NearFeed();
    feed.restored();
    NearCache<String> near = new NearCache<>(CacheConfig.builder().ticker(() -> 0).build(), feed);
    near.store("k", "old");
    assertThat(near.copy("k")).as("while live").isEqualTo("old");

    feed.lost("tracking connection closed"); // the engine flushes next: not yet

    assertThat(near.copy("k")).as("a copy between the loss and the flush").isNull();
    assertThat(near.peek("k")).isNull();
    feed.restored();
    assertThat(near.copy("k")).as("kept: only a flush drops copies").isEqualTo("old");
  }
}
