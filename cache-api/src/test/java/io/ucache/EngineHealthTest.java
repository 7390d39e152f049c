package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EngineHealthTest {

  @Test
  void reason_requiredExactlyWhenNotUp() {
    assertThat(EngineHealth.up(Map.of()).reason()).isNull();
    assertThat(EngineHealth.degraded("one master down", Map.of()).reason())
        .isEqualTo("one master down");

    assertThatThrownBy(() -> new EngineHealth(EngineHealth.Status.UP, "why", Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UP");
    assertThatThrownBy(() -> new EngineHealth(EngineHealth.Status.DOWN, null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DOWN");
  }

  @Test
  void details_copiedInOrderAndUnmodifiable() {
    Map<String, Object> given = new LinkedHashMap<>();
    given.put("server", "redis://h:1");
    given.put("ping", "0.31 ms");

    EngineHealth health = EngineHealth.down("no answer", given);
    given.put("later", 1);

    assertThat(health.details()).containsExactly(Map.entry("server", "redis://h:1"),
        Map.entry("ping", "0.31 ms"));
    assertThatThrownBy(() -> health.details().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void details_nullValue_refusedNamingTheDetail() {
    Map<String, Object> given = new HashMap<>();
    given.put("folder", null);

    assertThatThrownBy(() -> EngineHealth.up(given)).isInstanceOf(NullPointerException.class)
        .hasMessageContaining("folder");
  }
}
