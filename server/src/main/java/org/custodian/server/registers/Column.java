package org.custodian.server.registers;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One column of a register as a page shows it, and the fields it stands for in the JSON and CSV forms.
 * A column usually has one field; a coded value has two (the code, and its words under
 * {@code <name>Name}), so that machines get the code and people the words.
 *
 * @param heading the HTML table's column heading
 * @param fields the JSON members and CSV columns, in order
 * @param cell what the page shows for a row
 */
record Column<R>(String heading, List<Field<R>> fields, Function<R, Cell> cell) {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.UK);

    /**
     * A JSON member and CSV column: a camelCase name and the row's value, a {@code String}, a {@code Long}, a
     * {@code List<String>} (a JSON array; one CSV cell, joined by "; ") or {@code null}; or any JSON value when
     * {@code csv} gives its CSV cell.
     *
     * @param csv the CSV cell for a value that is not one of those (a list of objects), or null
     */
    record Field<R>(String name, Function<R, Object> value, Function<R, String> csv) {
        Field {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
            if (!name.matches("[a-z][A-Za-z0-9]*")) {
                throw new IllegalArgumentException("a field name is camelCase: " + name);
            }
        }

        Field(String name, Function<R, Object> value) {
            this(name, value, null);
        }
    }

    /**
     * One table cell: {@code text}, as a link when {@code href} is set, then {@code code} (a machine code,
     * shown in {@code <code>}) and {@code note} (a second line), each when set; then {@code links}, as a list.
     *
     * @param prose whether {@code text} is running text (a statement of several sentences or paragraphs),
     *     shown in a wider column with its line breaks
     * @param links items listed after the text, each a link when it has an address
     */
    record Cell(String text, String href, String code, String note, boolean prose, List<Link> links) {
        Cell {
            requireNonNull(text, "text is null");
            links = List.copyOf(links);
        }

        Cell(String text, String href, String code, String note) {
            this(text, href, code, note, false, List.of());
        }

        static Cell of(String text) {
            return new Cell(text, null, null, null);
        }
    }

    /** An item of a cell's list: its text, and its address or null. */
    record Link(String text, String href) {
        Link {
            requireNonNull(text, "text is null");
        }
    }

    Column {
        requireNonNull(heading, "heading is null");
        fields = List.copyOf(fields);
        requireNonNull(cell, "cell is null");
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("column " + heading + " has no fields");
        }
    }

    /** Text, the same on the page and in the files; shown as "Not recorded" on the page when null. */
    static <R> Column<R> text(String heading, String field, Function<R, String> value) {
        return new Column<>(heading, List.of(new Field<>(field, value::apply)),
                r -> Cell.of(value.apply(r) == null ? "Not recorded" : value.apply(r)));
    }

    /**
     * A code: the page shows its words with the code after them (only the words when they are the code, as
     * "Approved" for {@code approved}); the files carry both.
     */
    static <R> Column<R> coded(String heading, String field, Function<R, String> code, Function<R, String> words) {
        return new Column<>(heading, List.of(new Field<>(field, code::apply), new Field<>(field + "Name", words::apply)),
                r -> new Cell(words.apply(r), null, words.apply(r).equalsIgnoreCase(code.apply(r)) ? null : code.apply(r), null));
    }

    /** A date: ISO 8601 in the files, "31 December 2027" on the page. */
    static <R> Column<R> date(String heading, String field, Function<R, LocalDate> value) {
        return new Column<>(heading, List.of(new Field<>(field, r -> value.apply(r) == null ? null : value.apply(r).toString())),
                r -> Cell.of(value.apply(r) == null ? "Not recorded" : day(value.apply(r))));
    }

    /** A day as the page shows it: "31 December 2027". */
    static String day(LocalDate day) {
        return DAY.format(day);
    }
}
