package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A signed note (c2sp.org/signed-note, "Format"): a text ending in a newline, a blank line, and
 * one or more signature lines {@code "— <key name> <base64(key ID || signature)>\n"}.
 *
 * <p>The whole note MUST be valid UTF-8 without ASCII control characters other than newline. The
 * text MAY contain blank lines; the last blank line separates it from the signatures. This class
 * accepts at most 100 signatures and 1 MiB per note (the spec asks
 * verifiers to bound both and to accept at least 16 signatures), and only the canonical base64
 * encoding of each signature, so that a note has one spelling. {@code parse(format())} returns
 * an equal note.
 *
 * <p>The text of a note MUST be ignored unless {@link #open} verified it.
 */
public record Note(String text, List<NoteSignature> signatures) {
  private static final String SIGNATURE_PREFIX = "\u2014 ";

  public Note {
    requireNonNull(text, "text is null");
    requireNonNull(signatures, "signatures is null");
    NoteText.checkText(text);
    signatures = List.copyOf(signatures);
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("a signed note has at least one signature");
    }
    if (signatures.size() > NoteText.MAX_SIGNATURES) {
      throw new IllegalArgumentException(
          "a signed note has at most " + NoteText.MAX_SIGNATURES + " signatures");
    }
    long size = NoteText.utf8Length(text) + 1;
    for (NoteSignature signature : signatures) {
      size += NoteText.utf8Length(signature.line());
    }
    if (size > NoteText.MAX_NOTE_BYTES) {
      throw new IllegalArgumentException("signed note is larger than " + NoteText.MAX_NOTE_BYTES + " bytes");
    }
  }

  /** The signed note: the text, a blank line and the signature lines. */
  public String format() {
    StringBuilder out = new StringBuilder(text).append('\n');
    for (NoteSignature signature : signatures) {
      out.append(signature.line());
    }
    return out.toString();
  }

  /**
   * Splits a signed note into its text and signature lines, checking the syntax strictly; no
   * signature is verified. Throws {@link NoteException} saying what is malformed.
   */
  public static Note parse(String signedNote) throws NoteException {
    requireNonNull(signedNote, "signedNote is null");
    if (signedNote.length() > NoteText.MAX_NOTE_BYTES
        || NoteText.utf8Length(signedNote) > NoteText.MAX_NOTE_BYTES) {
      throw new NoteException("malformed note: larger than " + NoteText.MAX_NOTE_BYTES + " bytes");
    }
    String problem = NoteText.problem(signedNote);
    if (problem != null) {
      throw new NoteException("malformed note: " + problem);
    }
    int split = signedNote.lastIndexOf("\n\n");
    if (split < 0) {
      throw new NoteException("malformed note: no blank line before the signatures");
    }
    String text = signedNote.substring(0, split + 1);
    String lines = signedNote.substring(split + 2);
    if (lines.isEmpty()) {
      throw new NoteException("malformed note: no signature lines");
    }
    if (lines.charAt(lines.length() - 1) != '\n') {
      throw new NoteException("malformed note: the last signature line does not end with a newline");
    }
    List<NoteSignature> signatures = new ArrayList<>();
    for (int start = 0; start < lines.length(); ) {
      int end = lines.indexOf('\n', start);
      if (signatures.size() == NoteText.MAX_SIGNATURES) {
        throw new NoteException("malformed note: more than " + NoteText.MAX_SIGNATURES + " signatures");
      }
      signatures.add(parseSignatureLine(lines.substring(start, end), signatures.size() + 1));
      start = end + 1;
    }
    return new Note(text, signatures);
  }

  /** {@link #parse(String)} of UTF-8 bytes; malformed UTF-8 is refused, never replaced. */
  public static Note parse(byte[] signedNote) throws NoteException {
    requireNonNull(signedNote, "signedNote is null");
    if (signedNote.length > NoteText.MAX_NOTE_BYTES) {
      throw new NoteException("malformed note: larger than " + NoteText.MAX_NOTE_BYTES + " bytes");
    }
    try {
      return parse(NoteText.decodeUtf8(signedNote));
    } catch (CharacterCodingException e) {
      throw new NoteException("malformed note: not valid UTF-8", e);
    }
  }

  private static NoteSignature parseSignatureLine(String line, int number) throws NoteException {
    String where = "malformed note: signature line " + number;
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw new NoteException(where + " does not start with an em dash and a space");
    }
    int space = line.indexOf(' ', SIGNATURE_PREFIX.length());
    if (space < 0) {
      throw new NoteException(where + " has no space between key name and signature");
    }
    String name = line.substring(SIGNATURE_PREFIX.length(), space);
    if (!KeyText.isValidName(name)) {
      throw new NoteException(where + " has an invalid key name");
    }
    byte[] bytes = KeyText.decodeBase64(line.substring(space + 1));
    if (bytes == null || bytes.length < 5) {
      throw new NoteException(where + " signature is not canonical base64 of a key ID and a signature");
    }
    int keyId =
        ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
    return new NoteSignature(name, keyId, Arrays.copyOfRange(bytes, 4, bytes.length));
  }

  /**
   * Opens a note: returns the signatures that verified. A signature by an unknown key (no verifier
   * with that name+keyId) MUST be ignored; a signature by a known key that does not verify MUST
   * reject the whole note (NoteException); a note with no verified signature MUST be rejected.
   *
   * <p>This is stricter than golang.org/x/mod/sumdb/note, which checks only the first signature
   * of each known key: here every signature by a known key is checked. Two distinct verifiers
   * with the same name and key ID are ambiguous; a note signed under that name and key ID is
   * rejected.
   */
  public static VerifiedNote open(String signedNote, Collection<NoteVerifier> known)
      throws NoteException {
    return open(parse(signedNote), known);
  }

  /** {@link #open(String, Collection)} of UTF-8 bytes; malformed UTF-8 is refused. */
  public static VerifiedNote open(byte[] signedNote, Collection<NoteVerifier> known)
      throws NoteException {
    return open(parse(signedNote), known);
  }

  private static VerifiedNote open(Note note, Collection<NoteVerifier> known) throws NoteException {
    requireNonNull(known, "known is null");
    Map<String, Set<NoteVerifier>> byKey = new LinkedHashMap<>();
    for (NoteVerifier verifier : known) {
      requireNonNull(verifier, "known contains null");
      byKey
          .computeIfAbsent(keyOf(verifier.name(), verifier.keyId()), k -> new LinkedHashSet<>())
          .add(verifier);
    }
    byte[] message = note.text().getBytes(StandardCharsets.UTF_8);
    Set<NoteVerifier> verified = new LinkedHashSet<>();
    for (NoteSignature signature : note.signatures()) {
      String key = keyOf(signature.name(), signature.keyId());
      Set<NoteVerifier> candidates = byKey.get(key);
      if (candidates == null) {
        continue; // Unknown key: the spec requires ignoring it.
      }
      if (candidates.size() > 1) {
        throw new NoteException("ambiguous key " + key + ": several known verifiers have it");
      }
      NoteVerifier verifier = candidates.iterator().next();
      if (!verifier.verify(message, signature.signature())) {
        throw new NoteException("invalid signature for key " + key);
      }
      verified.add(verifier);
    }
    if (verified.isEmpty()) {
      throw new NoteException("note has no verifiable signatures");
    }
    return new VerifiedNote(note, new ArrayList<>(verified));
  }

  private static String keyOf(String name, int keyId) {
    return name + "+" + KeyText.hex8(keyId);
  }
}
