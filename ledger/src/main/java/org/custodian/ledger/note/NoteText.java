package org.custodian.ledger.note;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Character rules shared by every part of a signed note (c2sp.org/signed-note, "Format"): valid
 * UTF-8 and no ASCII control character other than newline. Also the size limits this
 * implementation applies.
 */
final class NoteText {
  /**
   * At most this many signature lines. The spec requires accepting at least 16; 100 matches
   * golang.org/x/mod/sumdb/note and leaves room for many witnesses.
   */
  static final int MAX_SIGNATURES = 100;

  /**
   * At most this many UTF-8 bytes in a whole signed note. The spec asks verifiers to bound the
   * note size; 1 MiB leaves room for 100 post-quantum signatures (about 5 kB each) and any
   * reasonable text while keeping a hostile note from exhausting memory.
   */
  static final int MAX_NOTE_BYTES = 1 << 20;

  private NoteText() {}

  /**
   * Returns why {@code s} cannot appear in a signed note, or null when it can. Java strings may
   * hold lone surrogates, which have no UTF-8 encoding, so they are refused here rather than
   * silently replaced when the note is encoded.
   */
  static String problem(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        return String.format("control character U+%04X at offset %d", (int) c, i);
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
          continue;
        }
        return "lone surrogate at offset " + i;
      }
      if (Character.isLowSurrogate(c)) {
        return "lone surrogate at offset " + i;
      }
    }
    return null;
  }

  /** Checks a note text: the rules of {@link #problem} and a final newline. */
  static String checkText(String text) {
    if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
      throw new IllegalArgumentException("note text must end with a newline");
    }
    String problem = problem(text);
    if (problem != null) {
      throw new IllegalArgumentException("note text has a " + problem);
    }
    return text;
  }

  /** Decodes UTF-8, refusing malformed input instead of substituting U+FFFD. */
  static String decodeUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** The number of bytes in the UTF-8 encoding of a string without lone surrogates. */
  static long utf8Length(CharSequence s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
