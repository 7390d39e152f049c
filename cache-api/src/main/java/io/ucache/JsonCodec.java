package io.ucache;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Values as JSON through Jackson 3 ({@code tools.jackson}), read back as the cache's full value
 * type: records, beans, {@code List<Item>}, {@code Map<String, Item>}, {@code Optional<Item>},
 * {@code java.time} values. Only the declared type is built, never a class the bytes name (no
 * polymorphic typing), so hostile bytes cannot pick a class to instantiate.
 *
 * <p>Reading is strict, so that a value of another shape fails (and the cache counts a miss)
 * rather than come back half-filled: an unknown property, a missing record component or creator
 * property, a {@code null} for a primitive, and trailing bytes all fail.
 *
 * <p>Loaded only when Jackson is on the class path ({@link JsonTypes#jacksonPresent()}).
 * Thread-safe.
 */
final class JsonCodec<V> implements ValueCodec<V> {

  /** Jackson's mapper is thread-safe and costly to build: one for every JSON cache. */
  private static final JsonMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final ValueType<V> type;
  private final JavaType javaType;

  JsonCodec(ValueType<V> type) {
    this.type = type;
    this.javaType = MAPPER.getTypeFactory().constructType(type.type());
  }

  @Override
  public byte[] encode(V value) {
    try {
      return MAPPER.writerFor(javaType).writeValueAsBytes(value);
    } catch (JacksonException e) {
      throw new CacheSerializationException("Cannot write a " + value.getClass().getName()
          + " as JSON for " + type + ": " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public V decode(byte[] bytes) {
    try {
      return MAPPER.readValue(bytes, javaType);
    } catch (JacksonException e) {
      throw new CacheSerializationException("Cannot read JSON as " + type + ": "
          + e.getOriginalMessage(), e);
    }
  }

  @Override
  public int id() {
    return 5;
  }

  @Override
  public String toString() {
    return "ValueCodec.json(" + type + ")";
  }
}
