package io.ucache.spi;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Keys as text, for engines that store keys as text (Redis keys, a database's text column): a
 * {@code String} key is its own text (one that starts with {@code #} gets a second one), any other
 * key {@code #<type>:<canonical text>}: {@code #int:1}, {@code #long:1}, {@code #short:1},
 * {@code #byte:1}, {@code #char:x}, {@code #bool:true}, {@code #uuid:<uuid>}. So keys of
 * different types never share a text, and no String key's text starts with {@code #} and another
 * character. A key is read back only from its own type's canonical text ({@code #int:+1} is
 * nobody's); anything else is another type's or a foreign key, for which {@link #decode} returns
 * {@code null}.
 *
 * <p><b>Thread-safety:</b> immutable and thread-safe. <b>Nulls:</b> only where marked.
 *
 * @param <K> the key type
 */
public final class KeyText<K> {

  private record Kind(Function<String, ?> parser, String marker) {}

  private static final Map<Class<?>, Kind> KINDS = Map.of(
      String.class, new Kind(Function.identity(), ""),
      Integer.class, new Kind(Integer::valueOf, "#int:"),
      Long.class, new Kind(Long::valueOf, "#long:"),
      Short.class, new Kind(Short::valueOf, "#short:"),
      Byte.class, new Kind(Byte::valueOf, "#byte:"),
      Character.class, new Kind(KeyText::character, "#char:"),
      Boolean.class, new Kind(KeyText::bool, "#bool:"),
      UUID.class, new Kind(UUID::fromString, "#uuid:"));

  private final Class<K> type;
  private final Kind kind;

  private KeyText(Class<K> type, Kind kind) {
    this.type = type;
    this.kind = kind;
  }

  /** Whether keys of {@code type} have a text: String, a boxed integer, char or boolean, UUID. */
  public static boolean supports(Class<?> type) {
    return KINDS.containsKey(type);
  }

  /**
   * The text of keys of {@code type}.
   *
   * @throws IllegalArgumentException if {@link #supports} says no
   */
  public static <K> KeyText<K> of(Class<K> type) {
    Kind kind = KINDS.get(Objects.requireNonNull(type, "type"));
    if (kind == null) {
      throw new IllegalArgumentException("Keys of type " + type.getName() + " have no text");
    }
    return new KeyText<>(type, kind);
  }

  /**
   * The text of {@code key}.
   *
   * @throws IllegalArgumentException if the key's text holds an unpaired surrogate: UTF-8, in
   *     which engines store the text, has no bytes for one, so it would share its text with the
   *     same one holding {@code ?}
   */
  public String encode(K key) {
    String text = String.valueOf(key);
    int unpaired = unpairedSurrogate(text);
    if (unpaired >= 0) {
      throw new IllegalArgumentException("A key holding the unpaired surrogate U+"
          + Integer.toHexString(text.charAt(unpaired)).toUpperCase(Locale.ROOT) + " at index "
          + unpaired + " cannot be stored as text: UTF-8 has no bytes for it");
    }
    return kind.marker() + (type == String.class && text.startsWith("#") ? "#" + text : text);
  }

  /** The key whose {@link #encode} is {@code text}, or {@code null} if there is none. */
  public @Nullable K decode(String text) {
    String bare;
    if (type == String.class) {
      if (text.startsWith("##")) {
        bare = text.substring(1);
      } else if (text.startsWith("#")) {
        return null; // a typed key, or another client's
      } else {
        bare = text;
      }
    } else if (text.startsWith(kind.marker())) {
      bare = text.substring(kind.marker().length());
    } else {
      return null;
    }
    K key = parse(bare);
    return key != null && bare.equals(String.valueOf(key)) ? key : null;
  }

  /**
   * The key whose text, without marker or escape, is {@code bare} ({@code String.valueOf} of the
   * key), or {@code null} if it is none of this type's.
   */
  public @Nullable K parse(String bare) {
    try {
      return type.cast(kind.parser().apply(bare));
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The index of the first unpaired surrogate of {@code text}, or -1. */
  public static int unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static Character character(String text) {
    if (text.length() != 1) {
      throw new IllegalArgumentException("not one char: " + text);
    }
    return text.charAt(0);
  }

  private static Boolean bool(String text) {
    if (!text.equals("true") && !text.equals("false")) {
      throw new IllegalArgumentException("not a boolean: " + text);
    }
    return Boolean.valueOf(text);
  }
}
