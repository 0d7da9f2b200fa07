package org.custodian.app.tlog;

import java.util.ArrayList;
import java.util.List;
import org.custodian.app.cli.CommandFailure;
import org.custodian.ledger.merkle.Hashes;

/**
 * Parsing of hex hashes given on the command line, with messages that name the option (and, in a
 * list, the 1-based position of the element). Every hash must be exactly 32 bytes (SHA-256).
 */
final class HexArgs {
    private HexArgs() {}

    static byte[] hash(String option, String hex) {
        byte[] hash;
        try {
            hash = Hashes.unhex(hex.trim());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(option + ": not a valid hash: " + e.getMessage());
        }
        if (hash.length != Hashes.HASH_SIZE) {
            throw new CommandFailure(option + ": not a valid hash: " + hash.length + " bytes, expected "
                    + Hashes.HASH_SIZE + " (" + 2 * Hashes.HASH_SIZE + " hex digits)");
        }
        return hash;
    }

    /** A comma-separated list of hex hashes; empty or absent means an empty proof. */
    static List<byte[]> hashes(String option, String list) {
        List<byte[]> out = new ArrayList<>();
        if (list == null || list.isBlank()) {
            return out;
        }
        String[] parts = list.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            out.add(hash(option + " element " + (i + 1) + " of " + parts.length, parts[i]));
        }
        return out;
    }
}
