package org.custodian.app.registers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.custodian.app.cli.DataOptions;
import org.custodian.app.database.Database;
import org.custodian.app.serve.Databases;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.Person;
import org.custodian.core.registers.RegisterSnapshot;
import org.custodian.core.registers.RegisterStore;
import org.custodian.ledger.entry.CanonicalJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code custodian users}: the people in the registers, with their role, organisation and sector. */
@Command(name = "users", mixinStandardHelpOptions = true,
        description = {"Lists the people in the registers with their role, organisation and sector.",
            "Patients are shown with their NHS number. Works while the server runs, and with --db-url."})
public final class UsersCommand implements Callable<Integer> {
    private static final List<String> HEADINGS =
            List.of("ID", "NAME", "ROLE", "ORGANISATION", "ORGANISATION NAME", "SECTOR", "NHS NUMBER");

    @Mixin
    DataOptions data;

    @Option(names = "--json", description = "print a JSON array (one object per person) instead of a table")
    boolean json;

    /** One person as listed. */
    record Row(Person person, Organisation organisation) {}

    @Override
    public Integer call() {
        RegisterSnapshot registers;
        try (Database database = Databases.open(data, false); RegisterStore store = RegisterStore.open(database.dataSource())) {
            registers = store.snapshot();
        }
        List<Row> rows = new ArrayList<>();
        for (Person p : registers.people()) {
            // The organisation is always there: the people table refers to it by a foreign key.
            rows.add(new Row(p, registers.organisation(p.organisation()).orElseThrow()));
        }
        // By organisation, then person; ignoring case, so that ODS codes and lower-case ids interleave as a reader expects.
        rows.sort(Comparator.comparing((Row r) -> r.person().organisation(), String.CASE_INSENSITIVE_ORDER)
                .thenComparing(r -> r.person().organisation())
                .thenComparing(r -> r.person().id(), String.CASE_INSENSITIVE_ORDER)
                .thenComparing(r -> r.person().id()));
        Output.print(json ? json(rows) : table(rows));
        return 0;
    }

    static String json(List<Row> rows) {
        List<Object> people = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> person = new LinkedHashMap<>();
            person.put("id", r.person().id());
            person.put("name", r.person().name());
            person.put("role", r.person().role().code());
            person.put("organisation", r.organisation().id());
            person.put("organisationName", r.organisation().name());
            person.put("sector", r.organisation().sector().code());
            if (r.person().nhsNumber() != null) {
                person.put("nhsNumber", r.person().nhsNumber().value());
            }
            people.add(person);
        }
        return CanonicalJson.canonicalString(people) + "\n";
    }

    static String table(List<Row> rows) {
        if (rows.isEmpty()) {
            return "No people in the registers (load them with 'custodian register FILE.json').\n";
        }
        List<List<String>> lines = new ArrayList<>();
        lines.add(HEADINGS);
        for (Row r : rows) {
            lines.add(List.of(r.person().id(), r.person().name(), r.person().role().code(), r.organisation().id(),
                    r.organisation().name(), r.organisation().sector().code(),
                    r.person().nhsNumber() == null ? "" : r.person().nhsNumber().formatted()));
        }
        int[] widths = new int[HEADINGS.size()];
        for (List<String> line : lines) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], length(line.get(i)));
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                text.append(line.get(i));
                if (i < widths.length - 1) {
                    text.append(" ".repeat(widths[i] - length(line.get(i)) + 2));
                }
            }
            out.append(text.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** Characters as a reader counts them (code points, not UTF-16 units). */
    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
