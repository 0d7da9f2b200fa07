package org.custodian.server.registers;

import static java.util.Objects.requireNonNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.custodian.core.registers.PublicRegisters.Reading;
import org.custodian.server.patients.PageFormat;
import org.custodian.server.patients.PageModels.Option;

/**
 * One public register, defined once and rendered three ways from the same columns: an HTML table, JSON
 * and CSV. What is particular to a register is its name, words, columns and filters; everything else
 * (choosing rows, the three forms, their field names) is here, so the three cannot disagree.
 *
 * @param name the path segment ({@code /registers/<name>}, {@code .json}, {@code .csv}) and the JSON
 *     {@code register} member
 * @param singular and {@code plural}: what an item is called ("organisation", "organisations")
 * @param rows the register's rows in a reading, in the order they are shown
 * @param anchor a row's HTML id, so that other registers can link to it
 * @param columns the first is the row's header (its key)
 */
record RegisterTable<R>(String name, String title, String description, String singular, String plural,
        Function<Reading, List<R>> rows, Function<R, String> anchor, List<Column<R>> columns, List<Filter<R>> filters) {

    /** A query parameter that is not one of the register's filters, or a value that is not one of its options. */
    static final class BadFilter extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadFilter(String message) {
            super(message);
        }
    }

    RegisterTable {
        requireNonNull(name, "name is null");
        requireNonNull(title, "title is null");
        requireNonNull(description, "description is null");
        requireNonNull(singular, "singular is null");
        requireNonNull(plural, "plural is null");
        requireNonNull(rows, "rows is null");
        requireNonNull(anchor, "anchor is null");
        columns = List.copyOf(columns);
        filters = List.copyOf(filters);
        List<String> names = columns.stream().flatMap(c -> c.fields().stream()).map(Column.Field::name).toList();
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("register " + name + " has two fields of the same name: " + names);
        }
    }

    /** The JSON members and CSV columns, in order. */
    List<String> fieldNames() {
        return columns.stream().flatMap(c -> c.fields().stream()).map(Column.Field::name).toList();
    }

    /**
     * The filters chosen by a request's query parameters, in the filters' order (parameter to code; an
     * empty value chooses nothing).
     *
     * @throws BadFilter for an unknown parameter, a parameter given twice, or a value not among the options
     */
    Map<String, String> choose(Map<String, List<String>> query) {
        for (String parameter : query.keySet()) {
            if (filters.stream().noneMatch(f -> f.parameter().equals(parameter))) {
                throw new BadFilter("\"" + parameter + "\" is not a filter of the " + plural + " register; "
                        + (filters.isEmpty() ? "it has none." : "its filters are " + String.join(" and ",
                                filters.stream().map(f -> "\"" + f.parameter() + "\"").toList()) + "."));
            }
        }
        Map<String, String> chosen = new LinkedHashMap<>();
        for (Filter<R> f : filters) {
            List<String> values = query.getOrDefault(f.parameter(), List.of());
            if (values.size() > 1) {
                throw new BadFilter("give \"" + f.parameter() + "\" at most once.");
            }
            if (values.isEmpty() || values.get(0).isEmpty()) {
                continue;
            }
            String value = values.get(0);
            if (!f.allows(value)) {
                throw new BadFilter("\"" + value + "\" is not a " + f.label().toLowerCase(java.util.Locale.ROOT)
                        + " this register knows; \"" + f.parameter() + "\" is one of: " + f.codes() + ".");
            }
            chosen.put(f.parameter(), value);
        }
        return chosen;
    }

    /** The rows matching every chosen filter. */
    List<R> select(Reading reading, Map<String, String> chosen) {
        List<R> selected = new ArrayList<>();
        for (R row : rows.apply(reading)) {
            boolean matches = true;
            for (Filter<R> f : filters) {
                String want = chosen.get(f.parameter());
                matches &= want == null || want.equals(f.valueOf().apply(row));
            }
            if (matches) {
                selected.add(row);
            }
        }
        return selected;
    }

    /** The JSON form of the selected rows: each a member per field, in the files' names. */
    Map<String, Object> json(List<R> selected, Map<String, String> chosen, Instant readAt, Long treeSize) {
        List<Object> out = new ArrayList<>(selected.size());
        for (R row : selected) {
            Map<String, Object> item = new LinkedHashMap<>();
            for (Column<R> c : columns) {
                for (Column.Field<R> f : c.fields()) {
                    item.put(f.name(), f.value().apply(row));
                }
            }
            out.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("register", name);
        body.put("title", title);
        body.put("readAt", readAt.toString());
        body.put("ledgerTreeSize", treeSize);
        body.put("filters", new LinkedHashMap<String, Object>(chosen));
        body.put("fields", fieldNames());
        body.put("count", (long) selected.size());
        body.put("rows", out);
        return body;
    }

    /** The CSV form: a header of the field names, then one record per row. */
    String csv(List<R> selected) {
        List<List<String>> records = new ArrayList<>(selected.size());
        for (R row : selected) {
            List<String> record = new ArrayList<>();
            for (Column<R> c : columns) {
                for (Column.Field<R> f : c.fields()) {
                    if (f.csv() != null) {
                        record.add(f.csv().apply(row));
                        continue;
                    }
                    Object v = f.value().apply(row);
                    // A list (an agreement's purposes, data, processors, payments) is one cell, its items joined by "; ".
                    record.add(v == null ? null : v instanceof List<?> list
                            ? list.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining("; ")) : v.toString());
                }
            }
            records.add(record);
        }
        return Csv.write(fieldNames(), records);
    }

    /** The page's model. */
    RegisterModels.Page page(Reading reading, List<R> selected, Map<String, String> chosen, Instant readAt, Long treeSize) {
        List<RegisterModels.FilterView> filterViews = filters.stream().map(f -> new RegisterModels.FilterView(f.parameter(), f.label(), f.any(),
                f.options().stream().map(o -> new Option(o.code(), o.words(), o.code().equals(chosen.get(f.parameter())))).toList())).toList();
        List<RegisterModels.Row> rowViews = new ArrayList<>(selected.size());
        for (R row : selected) {
            List<RegisterModels.CellView> cells = new ArrayList<>(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                Column.Cell cell = columns.get(i).cell().apply(row);
                cells.add(new RegisterModels.CellView(i == 0, cell.text(), cell.href(), cell.code(), cell.note(), cell.prose(),
                        cell.links().stream().map(l -> new RegisterModels.LinkView(l.text(), l.href())).toList()));
            }
            rowViews.add(new RegisterModels.Row(anchor.apply(row), cells));
        }
        int total = rows.apply(reading).size();
        String counted = chosen.isEmpty()
                ? PageFormat.count(total) + " " + (total == 1 ? singular : plural) + "."
                : PageFormat.count(selected.size()) + " of " + PageFormat.count(total) + " " + plural + (selected.size() == 1 ? " matches." : " match.");
        return new RegisterModels.Page(name, title, description, filterViews, columns.stream().map(Column::heading).toList(), rowViews, counted,
                PageFormat.when(readAt), PageFormat.machine(readAt), treeSize, query(chosen), !chosen.isEmpty());
    }

    /** "?sector=nhs-care&..." for the chosen filters, or "". */
    static String query(Map<String, String> chosen) {
        StringBuilder q = new StringBuilder();
        chosen.forEach((k, v) -> q.append(q.length() == 0 ? '?' : '&').append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return q.toString();
    }
}
