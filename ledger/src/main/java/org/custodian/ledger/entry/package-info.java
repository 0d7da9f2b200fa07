/**
 * The ledger entry format: RFC 8785 canonical JSON ({@link
 * org.custodian.ledger.entry.CanonicalJson}, integer profile), the private content of an entry
 * ({@link org.custodian.ledger.entry.LedgerEntry}) and its public envelope, the Merkle leaf data
 * ({@link org.custodian.ledger.entry.Envelope}).
 *
 * <p>Every wire form here has exactly one accepted encoding: parsers refuse bytes that are not
 * canonical, so a digest or leaf hash identifies one entry and one envelope.
 */
package org.custodian.ledger.entry;
