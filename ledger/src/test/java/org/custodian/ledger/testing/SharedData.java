package org.custodian.ledger.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The project's shared test data (../shared/data), found from any module's working directory. */
public final class SharedData {
    private SharedData() {}

    /**
     * Tests run with the module directory as working directory, and the checkout may sit anywhere:
     * walks up from user.dir until {@code relative} (a file or folder, e.g. "shared/data/tlog/...") exists.
     */
    public static Path locate(String relative) {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found in any parent of " + System.getProperty("user.dir"));
    }
}
