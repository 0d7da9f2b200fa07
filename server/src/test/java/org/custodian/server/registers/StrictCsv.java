package org.custodian.server.registers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 reader for tests, strict where writers go wrong: every record ends in CRLF, a quoted field doubles its
 * quotes, no bare line feed or quote in an unquoted field. Fails the test on anything else.
 */
public final class StrictCsv {
    private StrictCsv() {}

    /** The records, the header first. */
    public static List<List<String>> read(String csv) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        while (i < csv.length()) {
            char c = csv.charAt(i);
            if (c == '"' && field.length() == 0) {
                i++;
                while (true) {
                    char q = csv.charAt(i++);
                    if (q == '"') {
                        if (i < csv.length() && csv.charAt(i) == '"') {
                            field.append('"');
                            i++;
                        } else {
                            break;
                        }
                    } else {
                        field.append(q);
                    }
                }
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                i++;
            } else if (c == '\r') {
                assertEquals('\n', csv.charAt(i + 1), "records end in CRLF");
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
                i += 2;
            } else {
                assertFalse(c == '\n' || c == '"', "a bare line feed or quote in an unquoted field at " + i);
                field.append(c);
                i++;
            }
        }
        assertTrue(record.isEmpty() && field.length() == 0, "the last record ends in CRLF");
        return records;
    }
}
