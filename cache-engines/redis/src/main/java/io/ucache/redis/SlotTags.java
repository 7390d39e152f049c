package io.ucache.redis;

import io.lettuce.core.cluster.SlotHash;

/**
 * For each of Redis Cluster's 16,384 slots, a short text that hashes to it: a key holding
 * {@code {<text>}} lands in that slot, whatever else it holds. Found once, by trying texts in
 * order (base 36 counting) until every slot has one; about 170,000 CRC16s of up to four
 * characters, a few milliseconds. Thread-safe.
 */
final class SlotTags {

  private static final class Table {
    static final String[] TAGS = build();

    private static String[] build() {
      String[] tags = new String[SlotHash.SLOT_COUNT];
      int found = 0;
      for (long n = 0; found < tags.length; n++) {
        String text = Long.toString(n, 36);
        int slot = SlotHash.getSlot(text);
        if (tags[slot] == null) {
          tags[slot] = text;
          found++;
        }
      }
      return tags;
    }
  }

  private SlotTags() {}

  /** A text whose CRC16 puts it in {@code slot}. */
  static String of(int slot) {
    return Table.TAGS[slot];
  }
}
