package org.custodian.server.registers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4180 fields and records, and the guard against spreadsheet formulas. */
class TestCsv {
    record Case(String value, String written) {}

    @Test
    void fieldsAreQuotedWhenRfc4180SaysAndFormulasAreDisarmed() {
        for (Case c : List.of(
                new Case(null, ""),
                new Case("", ""),
                new Case("plain", "plain"),
                new Case("Smith, Jones", "\"Smith, Jones\""),
                new Case("say \"hi\"", "\"say \"\"hi\"\"\""),
                new Case("two\nlines", "\"two\nlines\""),
                new Case("two\r\nlines", "\"two\r\nlines\""),
                new Case("caf\u00e9 \u2013 \u0174", "caf\u00e9 \u2013 \u0174"),
                new Case("=1+1", "'=1+1"),
                new Case("+44 20", "'+44 20"),
                new Case("-2", "'-2"),
                new Case("@SUM(A1)", "'@SUM(A1)"),
                new Case("\tTab", "'\tTab"),
                new Case("\rCR", "\"'\rCR\""),
                new Case("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
                new Case("a=b", "a=b"),
                new Case("'quoted'", "'quoted'"))) {
            assertEquals(c.written(), Csv.field(c.value()), "field " + c.value());
        }
    }

    @Test
    void everyRecordEndsInCrlfAndTheHeaderComesFirst() {
        assertEquals("id,name\r\nA1,\"B, C\"\r\nA2,\r\n",
                Csv.write(List.of("id", "name"), List.of(List.of("A1", "B, C"), Arrays.asList("A2", null))));
        assertEquals("id,name\r\n", Csv.write(List.of("id", "name"), List.of()));
    }

    @Test
    void aRowWithTheWrongNumberOfFieldsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Csv.write(List.of("id", "name"), List.of(List.of("A1"))));
    }
}
