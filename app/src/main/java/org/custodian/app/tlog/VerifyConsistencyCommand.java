package org.custodian.app.tlog;

import java.util.concurrent.Callable;
import org.custodian.ledger.merkle.ProofException;
import org.custodian.ledger.merkle.ProofVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code custodian tlog verify-consistency}: RFC 9162 2.1.4.2, strict. */
@Command(name = "verify-consistency", mixinStandardHelpOptions = true,
        description = {"Verifies an RFC 9162 consistency proof between two tree sizes.",
            "Prints OK and exits 0 when valid; exits 1 with the reason (on stderr) when not, including malformed hashes.",
            "From size 0 the proof must be empty and the old root must be the empty-tree root",
            "SHA-256(\"\") = e3b0c442...b855."})
final class VerifyConsistencyCommand implements Callable<Integer> {
    @Option(names = "--old-size", required = true, paramLabel = "M")
    long oldSize;

    @Option(names = "--new-size", required = true, paramLabel = "N")
    long newSize;

    @Option(names = "--old-root", required = true, paramLabel = "HEX")
    String oldRoot;

    @Option(names = "--new-root", required = true, paramLabel = "HEX")
    String newRoot;

    @Option(names = "--proof", paramLabel = "HEX,HEX,...", description = "proof hashes (none when M is 0 or M = N)")
    String proof;

    @Override
    public Integer call() {
        try {
            ProofVerifier.verifyConsistency(oldSize, newSize, HexArgs.hashes("--proof", proof),
                    HexArgs.hash("--old-root", oldRoot), HexArgs.hash("--new-root", newRoot));
        } catch (ProofException e) {
            System.err.println("FAILED: " + e.getMessage());
            return 1;
        }
        System.out.println("OK");
        return 0;
    }
}
