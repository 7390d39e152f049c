package io.ucache.spi;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes {@link StoredValueFormat#decode}: any bytes, framed or plain, decode to exactly one of
 * the three {@link DecodedValue}s and never throw; an entry's ranges lie inside its input, and
 * reading its key text never throws. Every input also serves as a value: encoding it with the
 * options the fuzzer picks reads back exactly. In {@code mvn verify} it fuzzes for a bounded
 * time (see the module's pom); in a plain test run it replays the inputs under
 * {@code StoredValueFormatFuzzTestInputs}.
 */
class StoredValueFormatFuzzTest {

  private static final StoredValueFormat FRAMED =
      StoredValueFormat.framed(StoredValueFormat.CODEC_JAVA, String.class, Long.class);
  private static final StoredValueFormat PLAIN =
      StoredValueFormat.plain(StoredValueFormat.CODEC_UTF8, String.class, String.class);

  @FuzzTest(maxDuration = "10s")
  void decode_anyBytes_oneOfThreeOutcomesNeverThrows(FuzzedDataProvider data) {
    boolean isNull = data.consumeBoolean();
    long writeTime = data.consumeBoolean() ? StoredValueFormat.NO_TIME : data.consumeLong();
    long deadline = data.consumeBoolean() ? StoredValueFormat.NO_TIME : data.consumeLong();
    String keyText = data.consumeBoolean() ? null : data.consumeString(64);
    byte[] bytes = data.consumeRemainingAsBytes();

    for (StoredValueFormat format : new StoredValueFormat[] {FRAMED, PLAIN}) {
      check(format, bytes);
      byte[] stored = format.encode(isNull ? null : bytes, writeTime, deadline, keyText);
      DecodedValue decoded = format.decode(stored);
      assertThat(decoded).as("%s of %s", format, Arrays.toString(bytes))
          .isInstanceOf(DecodedValue.Entry.class);
      DecodedValue.Entry entry = (DecodedValue.Entry) decoded;
      assertThat(entry.isNull()).isEqualTo(isNull);
      assertThat(entry.payload()).isEqualTo(isNull ? new byte[0] : bytes);
      assertThat(entry.writeTime()).isEqualTo(writeTime);
      assertThat(entry.deadline()).isEqualTo(deadline);
      assertThat(entry.keyText()).isEqualTo(keyText);
    }
  }

  private static void check(StoredValueFormat format, byte[] bytes) {
    DecodedValue decoded = format.decode(bytes);
    if (decoded instanceof DecodedValue.Entry entry) {
      assertThat(entry.array()).isSameAs(bytes);
      assertThat(entry.payloadOffset()).isBetween(0, bytes.length);
      assertThat(entry.payloadLength()).isBetween(0, bytes.length - entry.payloadOffset());
      entry.keyText();
    } else if (decoded instanceof DecodedValue.Unreadable unreadable) {
      assertThat(unreadable.reason()).isNotEmpty();
    } else {
      assertThat(decoded).isSameAs(DecodedValue.OTHER_TYPE);
    }
  }
}
