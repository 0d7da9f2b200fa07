package org.custodian.ledger.witness;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.custodian.ledger.note.Checkpoint;
import org.custodian.ledger.note.Note;
import org.custodian.ledger.note.NoteException;

/**
 * Witness state in a directory: one file per log holding the latest cosigned checkpoint note.
 * Writes go to a temporary file that is fsynced and atomically renamed, so a crash leaves either the
 * old or the new state, never a torn one. The directory is locked for the witness's lifetime, so two
 * witness processes can never share (and so roll back) one state.
 */
public final class FileWitnessState implements WitnessState, AutoCloseable {
    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private FileWitnessState(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    public static FileWitnessState open(Path dir) throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve("witness.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null; // held by this same process
        }
        if (lock == null) {
            channel.close();
            throw new IOException("another witness is already running on " + dir);
        }
        return new FileWitnessState(dir, channel, lock);
    }

    @Override
    public Optional<Seen> latest(String origin) throws IOException {
        Path file = fileFor(origin);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String note = Files.readString(file, StandardCharsets.UTF_8);
        try {
            Checkpoint checkpoint = Checkpoint.parse(Note.parse(note).text());
            if (!checkpoint.origin().equals(origin)) {
                throw new IOException(file + " holds a checkpoint of '" + checkpoint.origin() + "', not '" + origin + "'");
            }
            return Optional.of(new Seen(checkpoint.size(), checkpoint.rootHash(), note));
        } catch (NoteException | IllegalArgumentException e) {
            throw new IOException("witness state " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    @Override
    public void save(String origin, Seen seen) throws IOException {
        Path file = fileFor(origin);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(seen.note().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // make the rename itself durable
        } catch (IOException ignored) {
            // Some file systems cannot fsync a directory; the rename is still atomic.
        }
    }

    /** Known origins (for status pages). */
    public List<Path> files() throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".checkpoint")).sorted().toList();
        }
    }

    private Path fileFor(String origin) {
        // Origins are arbitrary text of any length: a hash keeps file names safe and short; the file's
        // own checkpoint names its origin, which latest() checks.
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(origin.getBytes(StandardCharsets.UTF_8));
            return dir.resolve(HexFormat.of().formatHex(digest) + ".checkpoint");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
