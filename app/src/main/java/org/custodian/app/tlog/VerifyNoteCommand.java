package org.custodian.app.tlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.custodian.app.cli.Failures;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteException;
import org.custodian.ledger.note.NoteVerifier;
import org.custodian.ledger.note.NoteVerifiers;
import org.custodian.ledger.note.VerifiedNote;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code custodian tlog verify-note}: C2SP signed-note verification with one trusted key. */
@Command(name = "verify-note", mixinStandardHelpOptions = true,
        description = {"Verifies a C2SP signed note (e.g. a checkpoint) against a verifier key.",
            "Exits 0 printing the note's text when a signature by that key verifies; exits 1 with the",
            "reason (on stderr) otherwise. Signatures by other keys are ignored."})
final class VerifyNoteCommand implements Callable<Integer> {
    @Option(names = "--key", required = true, paramLabel = "VERIFIER_KEY",
            description = "verifier key, name+hexkeyid+base64 (C2SP signed-note)")
    String key;

    @Parameters(paramLabel = "FILE", description = "the signed note, or - for standard input")
    String file;

    @Override
    public Integer call() {
        NoteVerifier verifier;
        try {
            verifier = NoteVerifiers.parse(key.trim());
        } catch (IllegalArgumentException e) {
            System.err.println("FAILED: --key: " + e.getMessage());
            return 1;
        }
        String text;
        try {
            byte[] raw = "-".equals(file) ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            System.err.println("FAILED: " + file + " is not UTF-8 text");
            return 1;
        } catch (IOException e) {
            System.err.println("FAILED: cannot read " + file + ": " + Failures.reason(e));
            return 1;
        }
        try {
            VerifiedNote verified = Note.open(text, List.of(verifier));
            // The text exactly, as UTF-8: print(String) would encode it in the platform charset, which
            // on Java 17 in a C/POSIX locale is ASCII and turns every non-ASCII character into '?'.
            byte[] verifiedText = verified.note().text().getBytes(StandardCharsets.UTF_8);
            System.out.write(verifiedText, 0, verifiedText.length);
            System.out.flush();
            return 0;
        } catch (NoteException e) {
            System.err.println("FAILED: " + e.getMessage());
            return 1;
        }
    }
}
