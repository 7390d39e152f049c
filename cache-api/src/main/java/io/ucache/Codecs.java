package io.ucache;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

/** The built-in codecs that need no state beyond their type. */
final class Codecs {

  static final ValueCodec<String> UTF8 = new ValueCodec<>() {
    @Override
    public byte[] encode(String value) {
      return value.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String decode(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int id() {
      return 1;
    }

    @Override
    public String toString() {
      return "ValueCodec.utf8()";
    }
  };

  static final ValueCodec<byte[]> BYTES = new ValueCodec<>() {
    @Override
    public byte[] encode(byte[] value) {
      return value.clone();
    }

    @Override
    public byte[] decode(byte[] bytes) {
      return bytes.clone();
    }

    @Override
    public int id() {
      return 2;
    }

    @Override
    public String toString() {
      return "ValueCodec.bytes()";
    }
  };

  private static final Map<Class<?>, Function<String, ?>> TEXT_PARSERS = Map.of(
      Integer.class, Integer::valueOf,
      Long.class, Long::valueOf,
      Short.class, Short::valueOf,
      Byte.class, Byte::valueOf,
      Double.class, Double::valueOf,
      Float.class, Float::valueOf,
      Boolean.class, Codecs::parseBoolean,
      Character.class, Codecs::parseCharacter);

  private Codecs() {}

  static boolean isTextType(Class<?> type) {
    return TEXT_PARSERS.containsKey(type);
  }

  static <V> ValueCodec<V> text(Class<V> type) {
    Function<String, ?> parser = TEXT_PARSERS.get(type);
    if (parser == null) {
      throw new IllegalArgumentException(type.getName() + " is not a boxed primitive");
    }
    return new ValueCodec<>() {
      @Override
      public byte[] encode(V value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public V decode(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        try {
          return type.cast(parser.apply(text));
        } catch (RuntimeException e) {
          throw new CacheSerializationException("Cannot read a " + type.getSimpleName()
              + " from " + bytes.length + " bytes", e);
        }
      }

      @Override
      public int id() {
        return 3;
      }

      @Override
      public String toString() {
        return "ValueCodec.text(" + type.getSimpleName() + ")";
      }
    };
  }

  private static Boolean parseBoolean(String text) {
    return ConfigKey.parseBoolean(text);
  }

  private static Character parseCharacter(String text) {
    if (text.length() != 1) {
      throw new IllegalArgumentException("not one character");
    }
    return text.charAt(0);
  }
}
