package io.ucache.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bytes that an engine may find under its own keys without having written them, for tests that
 * put them there (each engine its own way) and check they are read as a miss, deleted and
 * counted, and that nothing outside the codec's allow-list is ever instantiated.
 *
 * <p>The value type of the cache under test is {@link Payload} with {@code codec=java}. The cases,
 * by name: {@code foreign} (text another program wrote), {@code foreign-header} (bytes that
 * start like a UCache header but are not one), {@code truncated} (half a serialized Payload),
 * {@code older-class-version} (a Payload serialized with another {@code serialVersionUID}),
 * {@code deadline-without-digits} (an old Redis header {@code FF 01} followed by letters where
 * 13 digits should be) and {@code gadget} (a serialized {@link Gadget}, a class outside the
 * allow-list whose deserialization would run code: {@link Gadget#instantiations()} must stay
 * zero).
 *
 * <p><b>Thread-safety:</b> thread-safe. <b>Nulls:</b> none accepted or returned.
 */
public final class HostileBytes {

  private HostileBytes() {}

  /** The value type of the caches these bytes are put under. Equal by text. */
  public static final class Payload implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String text;

    /** A payload holding {@code text}. */
    public Payload(String text) {
      this.text = Objects.requireNonNull(text, "text");
    }

    /** Its text. */
    public String text() {
      return text;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Payload other && other.text.equals(text);
    }

    @Override
    public int hashCode() {
      return text.hashCode();
    }

    @Override
    public String toString() {
      return "Payload[" + text + "]";
    }
  }

  /** The non-serializable base of {@link Gadget}: deserializing a Gadget runs this constructor. */
  public static class GadgetBase {
    static final AtomicInteger CONSTRUCTED = new AtomicInteger();

    /** Counts every instantiation, deserialization included. */
    public GadgetBase() {
      CONSTRUCTED.incrementAndGet();
    }
  }

  /** Stands for a deserialization gadget: reading one runs code (here, counts). */
  public static final class Gadget extends GadgetBase implements Serializable {
    private static final long serialVersionUID = 1L;
    static final AtomicInteger READ_OBJECT_RAN = new AtomicInteger();
    private final String command;

    /** A gadget that would run {@code command}. */
    public Gadget(String command) {
      this.command = command;
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
      READ_OBJECT_RAN.incrementAndGet();
      in.defaultReadObject();
    }

    /** How many gadgets were constructed or deserialized since {@link #reset()}. */
    public static int instantiations() {
      return CONSTRUCTED.get() + READ_OBJECT_RAN.get();
    }

    /** Sets the counts to zero. */
    public static void reset() {
      CONSTRUCTED.set(0);
      READ_OBJECT_RAN.set(0);
    }

    @Override
    public String toString() {
      return "Gadget[" + command + "]";
    }
  }

  /** Every case, by name, in a fixed order. */
  public static Map<String, byte[]> cases() {
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("foreign", "written by another program".getBytes(StandardCharsets.UTF_8));
    cases.put("foreign-header", new byte[] {(byte) 0xFF, 0x7F, 1, 2, 3});
    // An old Redis deadline header followed by no digits: once a NumberFormatException on
    // every read path, fail-open included.
    cases.put("deadline-without-digits",
        "\u00FF\u0001abcdefghijklmrest".getBytes(StandardCharsets.ISO_8859_1));
    byte[] payload = serialize(new Payload("whole"));
    cases.put("truncated", Arrays.copyOf(payload, payload.length / 2));
    cases.put("older-class-version", withSerialVersionUid(payload, Payload.class, 42L));
    Gadget gadget = new Gadget("rm -rf /");
    cases.put("gadget", serialize(gadget));
    Gadget.reset();
    return cases;
  }

  /** Java serialization of {@code value}. */
  public static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * {@code stream} with the {@code serialVersionUID} of {@code type} replaced: what an older or
   * newer version of the class would have written.
   */
  static byte[] withSerialVersionUid(byte[] stream, Class<?> type, long uid) {
    byte[] name = type.getName().getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at + 2 + name.length + 8 <= stream.length; at++) {
      if (stream[at] == (byte) (name.length >> 8) && stream[at + 1] == (byte) name.length
          && Arrays.equals(stream, at + 2, at + 2 + name.length, name, 0, name.length)) {
        byte[] patched = stream.clone();
        int uidAt = at + 2 + name.length;
        for (int i = 0; i < 8; i++) {
          patched[uidAt + i] = (byte) (uid >>> (56 - 8 * i));
        }
        return patched;
      }
    }
    throw new IllegalArgumentException("no class descriptor of " + type.getName());
  }
}
