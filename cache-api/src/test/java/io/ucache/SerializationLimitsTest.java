package io.ucache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Defect 4 of issue 12: Java deserialization of stored values must be bounded. A value that
 * another program (or an attacker with write access to Redis or the disk folder) put under a
 * cache's key is decoded on every read; whatever it declares, decoding must fail fast with a
 * {@link CacheSerializationException} (a counted miss for the engines) in bounded memory and
 * CPU, and values within the limits must still read back.
 */
class SerializationLimitsTest {

  record Person(String name, int age) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  record Holder(List<Object> items) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private static byte[] serialize(Object value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return bytes.toByteArray();
  }

  /**
   * A serialized {@code long[]} whose header declares {@code length} elements and whose data is
   * missing: what a 190-byte foreign value declaring {@code long[64M]} looks like.
   */
  static byte[] longArrayDeclaring(int length) {
    byte[] one = serialize(new long[] {7L});
    // The stream ends with the int length (1) then the one element (8 bytes).
    int lengthAt = one.length - Long.BYTES - Integer.BYTES;
    assertThat(one[lengthAt + 3]).isEqualTo((byte) 1);
    byte[] hostile = java.util.Arrays.copyOf(one, lengthAt + Integer.BYTES);
    for (int i = 0; i < Integer.BYTES; i++) {
      hostile[lengthAt + i] = (byte) (length >>> (24 - 8 * i));
    }
    return hostile;
  }

  /**
   * The classic "SerialDOS" graph: {@code levels} levels of two HashSets, each holding both sets
   * of the level below. The stream is tiny (the sets are shared), but reading it hashes every
   * path through the graph: 2^levels set visits.
   */
  static byte[] nestedSets(int levels) {
    Set<Object> root = new HashSet<>();
    Set<Object> s1 = root;
    Set<Object> s2 = new HashSet<>();
    for (int i = 0; i < levels; i++) {
      Set<Object> t1 = new HashSet<>();
      Set<Object> t2 = new HashSet<>();
      t1.add("foo"); // so that t1 and t2 differ
      s1.add(t1);
      s1.add(t2);
      s2.add(t1);
      s2.add(t2);
      s1 = t1;
      s2 = t2;
    }
    return serialize(root);
  }

  private static long allocatedBy(Runnable work) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    work.run();
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }

  @Test
  void decode_foreignValueDeclaringLongArrayOf64M_failsFastInBoundedMemory() {
    byte[] hostile = longArrayDeclaring(64 * 1024 * 1024);
    assertThat(hostile.length).isLessThan(200);
    ValueCodec<Person> codec = ValueCodec.java(Person.class);

    long allocated = allocatedBy(() -> assertThatThrownBy(() -> codec.decode(hostile))
        .isInstanceOf(CacheSerializationException.class));

    // 512 MB before the fix; an ObjectInputStream and its buffers are a few kilobytes.
    assertThat(allocated).as("bytes allocated to refuse %s bytes", hostile.length)
        .isLessThan(1024 * 1024);
  }

  @Test
  void decode_arrayLongerThanItsStreamCanHold_refusedBeforeAllocating() {
    // 1000 longs need 8000 bytes of stream; the value has none of them.
    byte[] hostile = longArrayDeclaring(1000);
    ValueCodec<long[]> codec = ValueCodec.java(long[].class);

    assertThatThrownBy(() -> codec.decode(hostile))
        .isInstanceOf(CacheSerializationException.class)
        .hasMessageContaining("array");
  }

  @Test
  void decode_nestedSetsHashBomb_failsFast() {
    byte[] hostile = nestedSets(28);
    assertThat(hostile.length).isLessThan(2048);
    ValueCodec<Person> codec = ValueCodec.java(Person.class);

    // Before the fix this read hashed 2^28 sets (tens of seconds of CPU, on every get); the
    // bound below is generous on purpose: the fixed decoder refuses it in milliseconds.
    long allocated = allocatedBy(() -> assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThatThrownBy(() -> codec.decode(hostile))
            .isInstanceOf(CacheSerializationException.class)
            .hasMessageContaining("collection")));

    assertThat(allocated).isLessThan(64L * 1024 * 1024);
  }

  @Test
  void decode_classicHundredLevelSetBomb_failsFast() {
    byte[] hostile = nestedSets(100);
    ValueCodec<Person> codec = ValueCodec.java(Person.class);

    assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertThatThrownBy(() -> codec.decode(hostile))
            .isInstanceOf(CacheSerializationException.class));
  }

  @Test
  void decode_sharedSubCollectionsWithinTheTreeLimit_readBack() {
    // Sharing is legitimate: ten levels of the same shape (2^10 paths) are well within limits.
    byte[] shared = nestedSets(10);
    @SuppressWarnings({"unchecked", "rawtypes"})
    ValueCodec<HashSet<Object>> codec = ValueCodec.java((Class) HashSet.class);

    assertThat(codec.decode(shared)).hasSize(2);
  }

  @Test
  void decode_largeLegitimateValues_readBack() {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      items.add("item-" + i);
    }
    items.add(new long[200_000]);
    items.add(new byte[3_000_000]);
    ValueCodec<Holder> codec = ValueCodec.java(Holder.class);
    Holder holder = new Holder(items);

    Holder read = codec.decode(codec.encode(holder));

    assertThat(read.items()).hasSize(100_002);
    assertThat((long[]) read.items().get(100_000)).hasSize(200_000);
  }
}
