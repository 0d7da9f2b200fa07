package org.custodian.ledger.log;

/** The right to integrate entries into the tree; exclusive across processes. */
public interface SequencerLease extends AutoCloseable {
    /** False once the lease is lost (for example the database connection holding it broke). */
    boolean held();

    @Override
    void close();
}
