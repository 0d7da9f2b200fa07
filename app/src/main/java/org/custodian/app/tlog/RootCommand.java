package org.custodian.app.tlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.custodian.app.cli.CommandFailure;
import org.custodian.app.cli.Failures;
import org.custodian.ledger.merkle.Hashes;
import org.custodian.ledger.merkle.MerkleTree;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code custodian tlog root FILE}: the RFC 9162 root of leaves given one per line, in hex. */
@Command(name = "root", mixinStandardHelpOptions = true,
        description = {"Prints the RFC 9162 Merkle tree root (lowercase hex) of the leaves in FILE.",
            "FILE has one leaf per line: the hex of the leaf's raw bytes; an empty line is an empty leaf.",
            "A final newline ends the last line (it does not add a leaf). An empty file is the empty tree."})
final class RootCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "leaf file, or - for standard input")
    String file;

    @Override
    public Integer call() throws IOException {
        byte[] raw = "-".equals(file) ? System.in.readAllBytes() : read(Path.of(file));
        String text = new String(raw, StandardCharsets.US_ASCII);
        MerkleTree tree = new MerkleTree();
        int lineNumber = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lineNumber++;
            String line = text.substring(start, end);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            byte[] leaf;
            try {
                leaf = Hashes.unhex(line);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(("-".equals(file) ? "standard input" : file) + " line " + lineNumber
                        + ": not a hex leaf: " + e.getMessage());
            }
            tree.append(Hashes.leafHash(leaf));
            start = end + 1;
        }
        System.out.println(Hashes.hex(tree.root()));
        return 0;
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new CommandFailure("cannot read " + path + ": " + Failures.reason(e));
        }
    }
}
