package org.custodian.app.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.custodian.ledger.note.KeyFiles;
import org.custodian.ledger.note.NoteSigner;

/** The log's signing key in {@code DATA/keys/log.key}: created on first start, its name is the log's origin. */
public final class LogKeys {
    public static final String FILE = "log.key";

    private LogKeys() {}

    /** Loads the log key, creating it (named {@code origin}, or a fresh default name) if there is none. */
    public static NoteSigner loadOrCreate(Path keysDir, String origin) {
        Path file = keysDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String name = nameIn(file);
                if (origin != null && !origin.equals(name)) {
                    throw new CommandFailure("the log key in " + file + " is for origin '" + name + "', not '" + origin
                            + "'; a log's origin cannot change (use another --data directory for another log)");
                }
                return KeyFiles.loadOrCreateLogKey(file, name);
            }
            return KeyFiles.loadOrCreateLogKey(file, origin != null ? origin : defaultOrigin());
        } catch (IOException | IllegalArgumentException e) {
            throw new CommandFailure("cannot use the log key " + file + ": " + e.getMessage());
        }
    }

    /** Loads an existing log key; fails if there is none. */
    public static NoteSigner load(Path keysDir) {
        Path file = keysDir.resolve(FILE);
        if (!Files.exists(file)) {
            throw new CommandFailure("there is no log key in " + keysDir + " (it is created by 'custodian serve' or 'custodian demo')");
        }
        return loadOrCreate(keysDir, null);
    }

    private static String nameIn(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        String[] parts = text.split("\\+", 5);
        if (parts.length != 5 || !"PRIVATE".equals(parts[0]) || !"KEY".equals(parts[1])) {
            throw new IOException("not a PRIVATE+KEY+name+keyid+key file");
        }
        return parts[2];
    }

    /** A schema-less URL-like origin unique to this deployment, as C2SP tlog-checkpoint recommends. */
    static String defaultOrigin() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().toLowerCase().replaceAll("[^a-z0-9.-]", "-");
        } catch (IOException e) {
            host = "localhost";
        }
        byte[] id = new byte[4];
        new SecureRandom().nextBytes(id);
        return host + "/custodian/" + HexFormat.of().formatHex(id);
    }
}
