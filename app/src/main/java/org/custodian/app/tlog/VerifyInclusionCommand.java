package org.custodian.app.tlog;

import java.util.concurrent.Callable;
import org.custodian.ledger.merkle.ProofException;
import org.custodian.ledger.merkle.ProofVerifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code custodian tlog verify-inclusion}: RFC 9162 2.1.3.2, strict. */
@Command(name = "verify-inclusion", mixinStandardHelpOptions = true,
        description = {"Verifies an RFC 9162 inclusion proof.",
            "Prints OK and exits 0 when valid; exits 1 with the reason (on stderr) when not,",
            "including malformed hashes."})
final class VerifyInclusionCommand implements Callable<Integer> {
    @Option(names = "--leaf-hash", required = true, paramLabel = "HEX", description = "the leaf hash, SHA-256(0x00 || leaf)")
    String leafHash;

    @Option(names = "--index", required = true, paramLabel = "I", description = "0-based index of the leaf")
    long index;

    @Option(names = "--size", required = true, paramLabel = "N", description = "tree size the proof is for")
    long size;

    @Option(names = "--root", required = true, paramLabel = "HEX", description = "root hash of the tree of size N")
    String root;

    @Option(names = "--proof", paramLabel = "HEX,HEX,...", description = "proof hashes, leaf to root (none for a one-leaf tree)")
    String proof;

    @Override
    public Integer call() {
        try {
            ProofVerifier.verifyInclusion(HexArgs.hash("--leaf-hash", leafHash), index, size,
                    HexArgs.hashes("--proof", proof), HexArgs.hash("--root", root));
        } catch (ProofException e) {
            System.err.println("FAILED: " + e.getMessage());
            return 1;
        }
        System.out.println("OK");
        return 0;
    }
}
