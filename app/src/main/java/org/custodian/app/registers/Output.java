package org.custodian.app.registers;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Printing register text as UTF-8 bytes: names are data ("Siân", "Zoë") and must not turn into '?'
 * when the platform charset is ASCII (a container, cron, ssh without LANG).
 */
final class Output {
    private Output() {}

    static void print(String text) {
        write(System.out, text);
    }

    static void printError(String text) {
        write(System.err, text);
    }

    private static void write(PrintStream stream, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        stream.write(bytes, 0, bytes.length);
        stream.flush();
    }
}
