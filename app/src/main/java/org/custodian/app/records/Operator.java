package org.custodian.app.records;

import java.io.IOException;
import java.net.InetAddress;
import org.custodian.records.write.Author;

/** The operator running an administrator command, as the ledger records them: {@code user@host}. */
final class Operator {
    private Operator() {}

    static Author author() {
        String user = System.getProperty("user.name", "unknown");
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        return Author.operator(user + "@" + host);
    }
}
