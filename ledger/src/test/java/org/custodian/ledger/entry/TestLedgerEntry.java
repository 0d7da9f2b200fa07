package org.custodian.ledger.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestLedgerEntry {
  /** 16 bytes 00..0f in base64url without padding. */
  static final String SALT = "AAECAwQFBgcICQoLDA0ODw";
  static final Instant TIME = Instant.parse("2026-11-23T19:20:00.123Z");
  static final LedgerEntry ENTRY =
      new LedgerEntry("demo.note", 1, TIME, SALT, Map.of("note", "Patient record viewed by Dr. M\u00fcller"));
  /** The content, and its SHA-256 computed independently with Python's hashlib. */
  static final String CONTENT =
      "{\"note\":\"Patient record viewed by Dr. M\u00fcller\",\"salt\":\"AAECAwQFBgcICQoLDA0ODw\","
          + "\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":1}";
  static final String CONTENT_SHA256 = "19180d42e8d271c81f44dbd522cfe626ae5930b8ea3092c1261797cbd6cb7339";

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void contentIsTheCanonicalJsonOfAllMembers() {
    assertEquals(CONTENT, new String(ENTRY.content(), StandardCharsets.UTF_8));
  }

  @Test
  void envelopeCarriesTypeVersionAndTheContentDigest() {
    Envelope envelope = ENTRY.envelope();
    assertEquals("demo.note", envelope.type());
    assertEquals(1, envelope.version());
    assertEquals(CONTENT_SHA256, HexFormat.of().formatHex(envelope.digest()));
  }

  @Test
  void parseOfContentReturnsAnEqualEntry() throws EntryException {
    LedgerEntry parsed = LedgerEntry.parse(utf8(CONTENT));
    assertEquals(ENTRY, parsed);
    assertArrayEquals(utf8(CONTENT), parsed.content());
  }

  @Test
  void createDrawsAFreshSaltAndTruncatesTimeToMilliseconds() throws EntryException {
    Instant precise = Instant.parse("2026-11-23T19:20:00.123456789Z");
    LedgerEntry first = LedgerEntry.create("access.decision", 2, precise, Map.of("allowed", true));
    LedgerEntry second = LedgerEntry.create("access.decision", 2, precise, Map.of("allowed", true));
    assertEquals(TIME, first.time());
    assertEquals(22, first.salt().length());
    assertNotEquals(first.salt(), second.salt());
    assertNotEquals(
        HexFormat.of().formatHex(first.envelope().digest()),
        HexFormat.of().formatHex(second.envelope().digest()),
        "equal contents must not have guessable, equal digests");
    assertEquals(first, LedgerEntry.parse(first.content()));
  }

  @Test
  void fieldsAreADeepImmutableCopyWithIntegersAsLong() {
    List<Object> list = new ArrayList<>(List.of(1, 2));
    Map<String, Object> fields = new HashMap<>();
    fields.put("list", list);
    fields.put("count", 7);
    fields.put("nothing", null);
    LedgerEntry entry = new LedgerEntry("demo.note", 1, TIME, SALT, fields);
    list.add(3);
    fields.put("later", "x");
    assertEquals(List.of(1L, 2L), entry.fields().get("list"));
    assertEquals(7L, entry.fields().get("count"));
    assertTrue(entry.fields().containsKey("nothing"));
    assertEquals(List.of("count", "list", "nothing"), new ArrayList<>(entry.fields().keySet()));
    assertThrows(UnsupportedOperationException.class, () -> entry.fields().put("x", 1L));
    assertThrows(UnsupportedOperationException.class, () -> ((List<?>) entry.fields().get("list")).clear());
  }

  @ParameterizedTest
  @ValueSource(strings = {"type", "version", "time", "salt"})
  void fieldsMustNotUseReservedNames(String name) {
    Map<String, Object> fields = Map.of(name, "x");
    assertThrows(IllegalArgumentException.class, () -> new LedgerEntry("demo.note", 1, TIME, SALT, fields));
    assertThrows(IllegalArgumentException.class, () -> LedgerEntry.create("demo.note", 1, TIME, fields));
  }

  @ParameterizedTest
  @ValueSource(strings = {"demo.note", "access.decision", "a", "a1.b-2.c", "x.--"})
  void validTypesAreAccepted(String type) {
    assertEquals(type, new LedgerEntry(type, 1, TIME, SALT, Map.of()).type());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Demo", "1demo", "demo.", ".demo", "demo..note", "demo_note", "demo.Note", "d\u00e9mo", "demo note", "-a"})
  void invalidTypesAreRefused(String type) {
    assertThrows(IllegalArgumentException.class, () -> new LedgerEntry(type, 1, TIME, SALT, Map.of()));
  }

  @Test
  void recordRefusesInvalidVersionTimeSaltAndFields() {
    assertThrows(IllegalArgumentException.class, () -> new LedgerEntry("a", 0, TIME, SALT, Map.of()));
    assertThrows(IllegalArgumentException.class, () -> new LedgerEntry("a", -1, TIME, SALT, Map.of()));
    assertThrows(
        IllegalArgumentException.class, () -> new LedgerEntry("a", 1, TIME.plusNanos(1), SALT, Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LedgerEntry("a", 1, Instant.parse("+10000-01-01T00:00:00Z"), SALT, Map.of()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new LedgerEntry("a", 1, Instant.parse("-0001-12-31T23:59:59Z"), SALT, Map.of()));
    for (String salt :
        List.of("", "AAECAwQFBgcICQoLDA0ODw==", "AAECAwQFBgcICQoLDA0O", "AAECAwQFBgcICQoLDA0ODx",
            "AAECAwQFBgcICQoLDA0OD+", "AAECAwQFBgcICQoLDA0ODwAA")) {
      assertThrows(IllegalArgumentException.class, () -> new LedgerEntry("a", 1, TIME, salt, Map.of()), salt);
    }
    assertThrows(
        IllegalArgumentException.class, () -> new LedgerEntry("a", 1, TIME, SALT, Map.of("x", 1.5)));
  }

  /** The hand-written salt check accepts exactly the canonical base64url encodings of 16 bytes. */
  @ParameterizedTest
  @MethodSource("seeds")
  void saltIsAcceptedExactlyWhenItIsTheCanonicalEncodingOf16Bytes(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/=";
    StringBuilder candidate = new StringBuilder();
    int length = random.nextInt(3) == 0 ? random.nextInt(26) : 22;
    for (int i = 0; i < length; i++) {
      candidate.append(alphabet.charAt(random.nextInt(random.nextInt(8) == 0 ? alphabet.length() : 64)));
    }
    String salt = candidate.toString();
    boolean canonical;
    try {
      byte[] bytes = java.util.Base64.getUrlDecoder().decode(salt);
      canonical = bytes.length == 16 && java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(salt);
    } catch (IllegalArgumentException e) {
      canonical = false;
    }
    if (canonical) {
      assertEquals(salt, new LedgerEntry("a", 1, TIME, salt, Map.of()).salt());
    } else {
      assertThrows(IllegalArgumentException.class, () -> new LedgerEntry("a", 1, TIME, salt, Map.of()), salt);
    }
  }

  /** The hand-written time format agrees with DateTimeFormatter over the whole accepted range. */
  @ParameterizedTest
  @MethodSource("seeds")
  void timeIsFormattedAsTheIsoPatternWithMilliseconds(long seed) {
    long min = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
    long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
    Instant time = Instant.ofEpochMilli(new SplittableRandom(seed).nextLong(min, max + 1));
    String expected = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(java.time.ZoneOffset.UTC).format(time);
    assertEquals(expected, LedgerEntry.formatTime(time));
  }

  @Test
  void timesAtTheEdgesOfTheFourDigitYearsFormatExactly() throws EntryException {
    for (String time : List.of("0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "2024-02-29T12:00:00.001Z")) {
      LedgerEntry entry = new LedgerEntry("a", 1, Instant.parse(time), SALT, Map.of());
      String content = new String(entry.content(), StandardCharsets.UTF_8);
      assertTrue(content.contains("\"time\":\"" + time + "\""), content);
      assertEquals(entry, LedgerEntry.parse(entry.content()));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Not canonical.
        "{\"note\":\"Patient record viewed by Dr. M\u00fcller\",\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":1}\n",
        " {\"note\":\"Patient record viewed by Dr. M\u00fcller\",\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"note\":\"Patient record viewed by Dr. M\u00fcller\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"note\":\"Patient record viewed by Dr. M\\u00fcller\",\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"note\":\"Patient record viewed by Dr. M\u00fcller\",\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":-0}",
        // Not an entry.
        "[]",
        "\"demo.note\"",
        "{}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\"}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"type\":\"demo.note\",\"version\":1}",
        "{\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":\"1\"}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":0}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":2147483648}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":1,\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"Demo\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw==\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.1234Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123+00:00\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23t19:20:00.123z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-02-30T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T24:00:00.000Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2016-12-31T23:59:60.000Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"+2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":1700000000000,\"type\":\"demo.note\",\"version\":1}",
        "{\"salt\":\"AAECAwQFBgcICQoLDA0ODw\",\"time\":\"2026-11-23T19:20:00.123Z\",\"type\":\"demo.note\",\"version\":1.0}",
        "not json"
      })
  void parseRefusesNonCanonicalOrInvalidContent(String content) {
    assertThrows(EntryException.class, () -> LedgerEntry.parse(utf8(content)));
  }

  @Test
  void parseRefusesInvalidUtf8() {
    byte[] content = utf8(CONTENT);
    content[content.length - 30] = (byte) 0xff;
    assertThrows(EntryException.class, () -> LedgerEntry.parse(content));
  }

  @Test
  void everyChangedContentByteIsDetectedByTheEnvelope() {
    Envelope envelope = ENTRY.envelope();
    byte[] content = ENTRY.content();
    for (int i = 0; i < content.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] changed = content.clone();
        changed[i] ^= (byte) (1 << bit);
        assertThrows(EntryException.class, () -> envelope.checkContent(changed));
      }
    }
  }

  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void randomEntriesRoundTripThroughContentAndEnvelope(long seed) throws EntryException {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = random.nextInt(0, 6); i > 0; i--) {
      String name = "f" + random.nextInt(100);
      fields.put(
          name,
          switch (random.nextInt(5)) {
            case 0 -> random.nextLong(-CanonicalJson.MAX_SAFE_INTEGER, CanonicalJson.MAX_SAFE_INTEGER);
            case 1 -> "text \u00e9\u20ac\ud83d\ude00 " + random.nextInt();
            case 2 -> List.of(random.nextBoolean(), Map.of("k", (long) random.nextInt()));
            case 3 -> Map.of("nested", List.of());
            default -> random.nextBoolean();
          });
    }
    Instant time = Instant.ofEpochMilli(random.nextLong(-62_167_219_200_000L, 253_402_300_799_999L));
    LedgerEntry entry =
        LedgerEntry.create("t" + random.nextInt(10) + ".x-" + random.nextInt(10), random.nextInt(1, Integer.MAX_VALUE), time, fields);
    byte[] content = entry.content();
    assertEquals(entry, LedgerEntry.parse(content));
    assertArrayEquals(content, LedgerEntry.parse(content).content());
    entry.envelope().checkContent(content);
    assertEquals(entry.envelope(), Envelope.parse(entry.envelope().leafData()));
  }
}
