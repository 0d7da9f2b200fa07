package org.custodian.ledger.note;

import static java.util.Objects.requireNonNull;

/**
 * A verified witness cosignature (c2sp.org/tlog-cosignature): the witness's key name and the
 * POSIX time, in seconds, as of which it vouched for the checkpoint. The timestamp MUST NOT be
 * negative (the spec bounds it by 2^63 - 1).
 */
public record Cosignature(String witnessName, long timestamp) {
  public Cosignature {
    requireNonNull(witnessName, "witnessName is null");
    KeyText.checkName(witnessName);
    if (timestamp < 0) {
      throw new IllegalArgumentException("cosignature timestamp must not be negative");
    }
  }
}
