package org.custodian.ledger.entry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestCanonicalJson {
  private static String canonical(String json) {
    return CanonicalJson.canonicalString(CanonicalJson.parse(json));
  }

  /** RFC 8785 section 3.2.3: members sort by UTF-16 code units, not code points or locale. */
  @Test
  void membersSortAsInTheRfc8785SortingExample() {
    String input =
        "{\n"
            + "  \"\\u20ac\": \"Euro Sign\",\n"
            + "  \"\\r\": \"Carriage Return\",\n"
            + "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
            + "  \"1\": \"One\",\n"
            + "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
            + "  \"\\u0080\": \"Control\",\n"
            + "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
            + "}";
    assertEquals(
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
            + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
            + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
        canonical(input));
  }

  /**
   * RFC 8785 sections 3.2.2 and 3.2.4: the sample object without its non-integer "numbers" member,
   * which this profile refuses; the expected bytes are those section 3.2.4 lists, less that member.
   */
  @Test
  void stringsAndLiteralsSerializeAsInTheRfc8785Sample() {
    String input =
        "{\n  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
            + "  \"literals\": [null, true, false]\n}";
    byte[] expected =
        HexFormat.of()
            .parseHex(
                "7b226c69746572616c73223a5b6e756c6c2c747275652c66616c73655d2c22737472696e67223a22"
                    + "e282ac245c75303030665c6e4127425c225c5c5c5c5c222f227d");
    assertEquals(
        "{\"literals\":[null,true,false],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
        canonical(input));
    assertArrayEquals(expected, CanonicalJson.canonicalize(CanonicalJson.parse(input)));
  }

  @Test
  void theRfc8785SampleWithFractionsIsRefusedByTheIntegerProfile() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CanonicalJson.parse("{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001]}"));
    assertTrue(e.getMessage().contains("fractions and exponents"), e.getMessage());
  }

  /** cyberphone/json-canonicalization testdata (input/X.json to output/X.json). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // arrays.json (the output follows from the rules; the repository has no output file)
        "`[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]` | `[56,{\"1\":[],\"10\":null,\"d\":true}]`",
        // french.json
        "`{\n  \"peach\": \"This sorting order\",\n  \"p\u00e9ch\u00e9\": \"is wrong according to French\",\n  \"p\u00eache\": \"but canonicalization MUST\",\n  \"sin\":   \"ingnore locale\"\n}` | `{\"peach\":\"This sorting order\",\"p\u00e9ch\u00e9\":\"is wrong according to French\",\"p\u00eache\":\"but canonicalization MUST\",\"sin\":\"ingnore locale\"}`",
        // simpleString.json
        "`    \"this is a test string 1235\"` | `\"this is a test string 1235\"`",
        // structures.json, with 56.0 written 56 as the integer profile requires
        "`{\n  \"1\": {\"f\": {\"f\": \"hi\",\"F\": 5} ,\"\\n\": 56},\n  \"10\": { },\n  \"\": \"empty\",\n  \"a\": { },\n  \"111\": [ { } ],\n  \"A\": { }\n}` | `{\"\":\"empty\",\"1\":{\"\\n\":56,\"f\":{\"F\":5,\"f\":\"hi\"}},\"10\":{},\"111\":[{}],\"A\":{},\"a\":{}}`",
        // unicode.json: no Unicode normalization
        "`{\n  \"Unnormalized Unicode\":\"\\u1e0d\\u0307\"\n}\n` | `{\"Unnormalized Unicode\":\"\u1e0d\u0307\"}`",
        // weird.json
        "`{\n  \"\\u20ac\": \"Euro Sign\",\n  \"1\": \"One\",\n  \"\\u0080\": \"Control\\u007f\",\n  \"\\ud83d\\ude02\": \"Smiley\",\n  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\",\n  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n  \"</script>\": \"Browser Challenge\"\n}\n` | `{\"1\":\"One\",\"</script>\":\"Browser Challenge\",\"\u0080\":\"Control\u007f\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\",\"\ud83d\ude02\":\"Smiley\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}`"
      })
  void cyberphoneTestDataCanonicalizesToTheExpectedOutput(String input, String output) {
    assertEquals(output, canonical(input));
    assertEquals(output, canonical(output));
  }

  @Test
  void simpleStringHasTheCyberphoneBytes() {
    assertEquals(
        "22746869732069732061207465737420737472696e67203132333522",
        HexFormat.of().formatHex(CanonicalJson.canonicalize(CanonicalJson.parse("    \"this is a test string 1235\""))));
  }

  @Test
  void controlCharactersUseShortEscapesOrLowercaseUnicodeEscapes() {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      all.append(c);
    }
    all.append("\"\\/\u007f\u2028\u2029");
    assertEquals(
        "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
            + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b"
            + "\\u001c\\u001d\\u001e\\u001f\\\"\\\\/\u007f\u2028\u2029\"",
        CanonicalJson.canonicalString(all.toString()));
  }

  @Test
  void integersAtTheSafeRangeBoundsAreExact() {
    assertEquals(9007199254740991L, CanonicalJson.parse("9007199254740991"));
    assertEquals(-9007199254740991L, CanonicalJson.parse("-9007199254740991"));
    assertEquals(0L, CanonicalJson.parse("-0"));
    assertEquals("0", canonical("-0"));
    assertEquals("[9007199254740991,-9007199254740991]", canonical("[9007199254740991, -9007199254740991]"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "{\"a\":1,\"a\":2}",
        "{\"a\":1,\"\\u0061\":2}",
        "{} x",
        "{}{}",
        "[1,]",
        "[,1]",
        "{,}",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{a:1}",
        "{'a':1}",
        "01",
        "-01",
        "1.0",
        "1.",
        ".5",
        "1e3",
        "1E3",
        "1e-3",
        "-",
        "--1",
        "+1",
        "9007199254740992",
        "-9007199254740992",
        "123456789012345678901234567890",
        "NaN",
        "Infinity",
        "tru",
        "nul",
        "True",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\u12g4\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800x\"",
        "\"a\tb\"",
        "\"a\nb\"",
        "\"unterminated",
        "\"\\",
        "\ufeff{}",
        "/* comment */ {}",
        "[1] // comment",
        "{\"a\":1}\u00a0",
        "\"\\uD800\\uD800\""
      })
  void invalidOrOutOfProfileJsonIsRefused(String json) {
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parse(json));
  }

  @Test
  void loneSurrogatesInJavaStringsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parse("\"a\ud800b\""));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parse("\"a\udc00\""));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize("a\ud800"));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize(Map.of("\udc00", 1L)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ff", "c0af", "eda080", "f4908080", "e282"})
  void invalidUtf8IsRefused(String hex) {
    byte[] bytes = HexFormat.of().parseHex("22" + hex + "22");
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parse(bytes));
  }

  @Test
  void nestingIsLimitedTo64Levels() {
    String deepest = "[".repeat(64) + "]".repeat(64);
    assertEquals(deepest, canonical(deepest));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parse("[".repeat(65) + "]".repeat(65)));
    String objects = "{\"a\":".repeat(64) + "1" + "}".repeat(64);
    assertEquals(objects, canonical(objects));
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parse("{\"a\":".repeat(65) + "1" + "}".repeat(65)));
    // Far deeper input fails cleanly instead of overflowing the stack.
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parse("[".repeat(100_000)));

    Object nested = List.of();
    for (int i = 1; i < 64; i++) {
      nested = List.of(nested);
    }
    CanonicalJson.canonicalize(nested);
    Object tooDeep = List.of(nested);
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize(tooDeep));
  }

  @Test
  void canonicalizeRefusesValuesOutsideTheProfile() {
    for (Object value :
        List.of(1.0, 1.0f, new BigDecimal("1"), 9007199254740992L, -9007199254740992L,
            BigInteger.ONE.shiftLeft(53), new Object(), 'c', new int[0], Map.of(1, 1L),
            List.of(Double.NaN))) {
      assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize(value), String.valueOf(value));
    }
  }

  @Test
  void canonicalizeAcceptsOtherIntegerTypesAndMapsOrderedAnyWay() {
    Map<String, Object> map = new HashMap<>();
    map.put("b", 1);
    map.put("a", (short) 2);
    map.put("c", BigInteger.valueOf(-3));
    map.put("d", null);
    map.put("e", (byte) 4);
    assertEquals("{\"a\":2,\"b\":1,\"c\":-3,\"d\":null,\"e\":4}", CanonicalJson.canonicalString(map));
    assertEquals(CanonicalJson.canonicalString(map), CanonicalJson.canonicalString(new TreeMap<>(map)));
  }

  @Test
  void parsedValuesAreImmutableAndKeepDocumentOrder() {
    Object parsed = CanonicalJson.parse("{\"b\":[1,null],\"a\":{}}");
    Map<?, ?> map = (Map<?, ?>) parsed;
    assertEquals(List.of("b", "a"), new ArrayList<>(map.keySet()));
    assertThrows(UnsupportedOperationException.class, () -> map.clear());
    assertThrows(UnsupportedOperationException.class, () -> ((List<?>) map.get("b")).clear());
    assertEquals(Arrays.asList(1L, null), map.get("b"));
  }

  // Property tests over random values from a seeded SplittableRandom.

  static LongStream seeds() {
    return LongStream.range(0, 500);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void parseOfCanonicalizeReturnsTheValueAndCanonicalizeIsIdempotent(long seed) {
    Object value = randomValue(new SplittableRandom(seed), 0);
    byte[] canonical = CanonicalJson.canonicalize(value);
    Object parsed = CanonicalJson.parse(canonical);
    assertEquals(value, parsed);
    assertArrayEquals(canonical, CanonicalJson.canonicalize(parsed));
    assertEquals(value, CanonicalJson.parse(new String(canonical, StandardCharsets.UTF_8)));
  }

  /** canonicalCopy is the canonical round trip without the text: same value, same member order. */
  @ParameterizedTest
  @MethodSource("seeds")
  void canonicalCopyIsWhatParseOfCanonicalizeReturns(long seed) {
    Object value = randomValue(new SplittableRandom(seed), 0);
    Object parsed = CanonicalJson.parse(CanonicalJson.canonicalize(value));
    Object copied = CanonicalJson.canonicalCopy(value);
    assertEquals(parsed, copied);
    assertEquals(CanonicalJson.canonicalString(parsed), CanonicalJson.canonicalString(copied));
    if (copied instanceof Map<?, ?> map) {
      assertEquals(new ArrayList<>(((Map<?, ?>) parsed).keySet()), new ArrayList<>(map.keySet()));
    }
  }

  @Test
  void canonicalCopyRefusesWhatCanonicalizeRefuses() {
    List<Object> refused = new ArrayList<>(List.of(1.0, 1.0f, new BigDecimal("1"), 9007199254740992L,
        -9007199254740992L, BigInteger.ONE.shiftLeft(53), new Object(), 'c', new int[0], Map.of(1, 1L),
        List.of(Double.NaN), "\ud800", Map.of("\udc00", 1L), List.of("a\ud83d")));
    Object deep = 1L;
    for (int i = 0; i < CanonicalJson.MAX_DEPTH + 1; i++) {
      deep = List.of(deep);
    }
    refused.add(deep);
    for (Object value : refused) {
      assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalize(value), String.valueOf(value));
      assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonicalCopy(value), String.valueOf(value));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anyValidSpellingOfAValueHasTheSameCanonicalForm(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Object value = randomValue(random, 0);
    String spelled = spell(random, value);
    assertEquals(value, CanonicalJson.parse(spelled));
    assertArrayEquals(CanonicalJson.canonicalize(value), CanonicalJson.canonicalize(CanonicalJson.parse(spelled)));
  }

  private static final String CHARS =
      "aZ09 \"\\/\b\f\n\r\t\u0000\u001f\u007f\u0080\u00e9\u2028\u20ac\ufb33\uffff\ud83d\ude00\ud800\udc00";

  private static String randomString(SplittableRandom random) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(0, 8);
    while (s.length() < length) {
      int i = random.nextInt(CHARS.length());
      char c = CHARS.charAt(i);
      if (Character.isHighSurrogate(c)) {
        s.append(c).append(CHARS.charAt(i + 1));
      } else if (Character.isLowSurrogate(c)) {
        s.append(CHARS.charAt(i - 1)).append(c);
      } else {
        s.append(c);
      }
    }
    return s.toString();
  }

  private static Object randomValue(SplittableRandom random, int depth) {
    int kind = random.nextInt(depth >= 6 ? 5 : 7);
    switch (kind) {
      case 0:
        return null;
      case 1:
        return random.nextBoolean();
      case 2:
        return randomString(random);
      case 3:
        return random.nextLong(-CanonicalJson.MAX_SAFE_INTEGER, CanonicalJson.MAX_SAFE_INTEGER + 1);
      case 4:
        return (long) random.nextInt(-1000, 1000);
      case 5: {
        List<Object> list = new ArrayList<>();
        for (int i = random.nextInt(0, 5); i > 0; i--) {
          list.add(randomValue(random, depth + 1));
        }
        return list;
      }
      default: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(0, 5); i > 0; i--) {
          map.put(randomString(random), randomValue(random, depth + 1));
        }
        return map;
      }
    }
  }

  /** A random, valid, non-canonical JSON spelling: whitespace, member order, escapes. */
  private static String spell(SplittableRandom random, Object value) {
    String ws = List.of("", " ", "\n", "\t", "\r\n  ").get(random.nextInt(5));
    if (value instanceof Map<?, ?> map) {
      List<Map.Entry<?, ?>> members = new ArrayList<>(map.entrySet());
      Collections.shuffle(members, new java.util.Random(random.nextLong()));
      StringBuilder out = new StringBuilder("{" + ws);
      for (int i = 0; i < members.size(); i++) {
        out.append(i > 0 ? "," + ws : "")
            .append(spellString(random, (String) members.get(i).getKey()))
            .append(ws).append(':').append(ws)
            .append(spell(random, members.get(i).getValue()));
      }
      return out.append(ws).append('}').toString();
    }
    if (value instanceof List<?> list) {
      StringBuilder out = new StringBuilder("[" + ws);
      for (int i = 0; i < list.size(); i++) {
        out.append(i > 0 ? ws + "," + ws : "").append(spell(random, list.get(i)));
      }
      return out.append(ws).append(']').toString();
    }
    if (value instanceof String s) {
      return spellString(random, s);
    }
    if (value instanceof Long n && n == 0 && random.nextBoolean()) {
      return "-0";
    }
    return ws + value + ws;
  }

  private static String spellString(SplittableRandom random, String s) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        // A surrogate pair is escaped as a pair or written as one character.
        char low = s.charAt(++i);
        out.append(
            random.nextBoolean()
                ? String.format("\\u%04x\\u%04X", (int) c, (int) low)
                : "" + c + low);
        continue;
      }
      boolean mustEscape = c == '"' || c == '\\' || c < 0x20;
      if (mustEscape || random.nextInt(4) == 0) {
        String escape =
            switch (c) {
              case '"' -> "\\\"";
              case '\\' -> "\\\\";
              case '/' -> random.nextBoolean() ? "\\/" : "/";
              case '\n' -> "\\n";
              default -> null;
            };
        if (escape == null || random.nextBoolean()) {
          String hex = String.format("\\u%04x", (int) c);
          escape = random.nextBoolean() ? hex : hex.toUpperCase().replace("\\U", "\\u");
        }
        out.append(escape);
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
