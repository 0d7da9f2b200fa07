package org.custodian.app.tlog;

import java.util.ArrayList;
import java.util.List;
import org.custodian.app.cli.CommandFailure;
import org.custodian.ledger.merkle.Hashes;

/** Parsing of hex hashes given on the command line, with messages that name the option. */
final class HexArgs {
    private HexArgs() {}

    static byte[] hash(String option, String hex) {
        try {
            return Hashes.unhex(hex.trim());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure(option + ": not a valid hash: " + e.getMessage());
        }
    }

    /** A comma-separated list of hex hashes; empty or absent means an empty proof. */
    static List<byte[]> hashes(String option, String list) {
        List<byte[]> out = new ArrayList<>();
        if (list == null || list.isBlank()) {
            return out;
        }
        String[] parts = list.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            out.add(hash(option + " element " + (i + 1), parts[i]));
        }
        return out;
    }
}
