/**
 * Signed notes, checkpoints and witness cosignatures in the formats of the C2SP transparency log
 * specifications, byte for byte interoperable with golang.org/x/mod/sumdb/note and
 * github.com/transparency-dev/formats:
 *
 * <ul>
 *   <li>c2sp.org/signed-note: {@link org.custodian.ledger.note.Note}, {@link
 *       org.custodian.ledger.note.NoteSigner} (Ed25519, type 0x01), {@link
 *       org.custodian.ledger.note.NoteVerifiers};
 *   <li>c2sp.org/tlog-checkpoint: {@link org.custodian.ledger.note.Checkpoint};
 *   <li>c2sp.org/tlog-cosignature (Ed25519 cosignature/v1, type 0x04): {@link
 *       org.custodian.ledger.note.CosignatureSigner}, {@link
 *       org.custodian.ledger.note.Cosignatures}.
 * </ul>
 *
 * <p>Only the JDK's own Ed25519 is used. Parsing is strict: anything the specifications do not
 * allow, and any non-canonical base64, is refused, so that each signed object has exactly one
 * encoding.
 */
package org.custodian.ledger.note;
