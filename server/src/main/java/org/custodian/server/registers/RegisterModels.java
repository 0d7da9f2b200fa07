package org.custodian.server.registers;

import java.util.List;
import org.custodian.server.patients.PageModels.Option;

/** What the registers' templates render: plain values, already in words. */
public final class RegisterModels {
    private RegisterModels() {}

    /** {@code /registers}: every public register. */
    public record Index(List<Entry> registers) {
        public Index {
            registers = List.copyOf(registers);
        }
    }

    /** One register on the index: where it is, what it holds, how many items. */
    public record Entry(String name, String title, String description, String count) {}

    /**
     * One register's page.
     *
     * @param counted "3 of 12 projects match." or "12 organisations."
     * @param treeSize the size of the ledger's latest checkpoint when the register was read, or null
     * @param query the filters as a query string ("?status=approved"), or ""
     */
    public record Page(String name, String title, String description, List<FilterView> filters, List<String> headings,
            List<Row> rows, String counted, String readAt, String readAtMachine, Long treeSize, String query, boolean filtered) {
        public Page {
            filters = List.copyOf(filters);
            headings = List.copyOf(headings);
            rows = List.copyOf(rows);
        }

        public String captionId() {
            return name + "-caption";
        }
    }

    /** A filter as a select: the parameter, its label, the "any" choice's words, and the options (one selected). */
    public record FilterView(String parameter, String label, String any, List<Option> options) {}

    /** A table row; {@code id} is its fragment, so that other registers can link to it. */
    public record Row(String id, List<CellView> cells) {
        public Row {
            cells = List.copyOf(cells);
        }
    }

    /** A cell: {@code header} for the row's header cell ({@code th scope="row"}); the rest as {@link Column.Cell}. */
    public record CellView(boolean header, String text, String href, String code, String note, boolean prose, List<LinkView> links) {
        public CellView {
            links = List.copyOf(links);
        }
    }

    /** An item of a cell's list; {@code href} is null when it has no address. */
    public record LinkView(String text, String href) {}
}
