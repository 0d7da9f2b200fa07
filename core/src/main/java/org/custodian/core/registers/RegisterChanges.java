package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Function;
import org.custodian.core.registers.RegisterDocument.Item;
import org.custodian.ledger.entry.LedgerEntry;

/**
 * What applying a (valid) document to the stored registers changes: the items that are new or
 * differ from what is stored, in the order they must be written, and how many are unchanged. An item
 * equal to the stored one is no change, which is what makes applying a file twice a no-op.
 */
final class RegisterChanges {
    /** Ledger entry type of every register change. */
    static final String ENTRY_TYPE = "register.change";
    static final int ENTRY_VERSION = 1;

    enum Action {
        ADDED("added"),
        UPDATED("updated");

        final String code;

        Action(String code) {
            this.code = code;
        }
    }

    /** One item to write; {@code previous} is the stored item it replaces (null when added). */
    record Change(Register register, Action action, Object item, Object previous) {
        Change {
            requireNonNull(register, "register is null");
            requireNonNull(action, "action is null");
            requireNonNull(item, "item is null");
        }

        /**
         * The {@code register.change} ledger entry: the register, the action, the item's key members
         * at the top level, its new values ({@code item}) and, for an update, its values before
         * ({@code previous}) and the names of the members that {@code changed}.
         */
        LedgerEntry entry(Instant time) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("register", register.code());
            fields.put("action", action.code);
            fields.putAll(RegisterWire.key(item));
            Map<String, Object> now = RegisterWire.item(item);
            fields.put("item", now);
            if (previous != null) {
                Map<String, Object> before = RegisterWire.item(previous);
                fields.put("previous", before);
                TreeSet<String> changed = new TreeSet<>(now.keySet());
                changed.addAll(before.keySet());
                changed.removeIf(name -> Objects.equals(now.get(name), before.get(name)));
                fields.put("changed", List.copyOf(changed));
            }
            return LedgerEntry.create(ENTRY_TYPE, ENTRY_VERSION, time, fields);
        }
    }

    private final List<Change> changes = new ArrayList<>();
    private final Map<Register, int[]> counts = new EnumMap<>(Register.class);

    private RegisterChanges() {}

    static RegisterChanges between(RegisterSnapshot stored, RegisterDocument document) {
        RegisterChanges c = new RegisterChanges();
        c.diff(Register.ORGANISATIONS, document.organisationItems(), toMap(stored.organisations(), Organisation::id),
                Organisation::id);
        c.diff(Register.PEOPLE, document.personItems(), toMap(stored.people(), Person::id), Person::id);
        c.diff(Register.CARE_RELATIONSHIPS, document.careRelationshipItems(),
                toMap(stored.careRelationships(), RegisterWire::key), RegisterWire::key);
        c.diff(Register.PROXIES, document.proxyItems(), toMap(stored.proxies(), RegisterWire::key), RegisterWire::key);
        c.diff(Register.PROJECTS, document.projectItems(), toMap(stored.projects(), Project::id), Project::id);
        c.diff(Register.AGREEMENTS, document.agreementItems(), toMap(stored.agreements(), Agreement::id), Agreement::id);
        c.diff(Register.HOSTING, document.hostingItems(), toMap(stored.hosting(), HostingSite::id), HostingSite::id);
        return c;
    }

    private static <T, K> Map<K, T> toMap(Iterable<T> items, Function<T, K> key) {
        Map<K, T> map = new HashMap<>();
        items.forEach(i -> map.put(key.apply(i), i));
        return map;
    }

    private <T, K> void diff(Register register, List<Item<T>> items, Map<K, T> stored, Function<T, K> key) {
        int[] count = counts.computeIfAbsent(register, r -> new int[3]);
        for (Item<T> item : items) {
            T before = stored.get(key.apply(item.value()));
            if (before == null) {
                changes.add(new Change(register, Action.ADDED, item.value(), null));
                count[0]++;
            } else if (!before.equals(item.value())) {
                changes.add(new Change(register, Action.UPDATED, item.value(), before));
                count[1]++;
            } else {
                count[2]++;
            }
        }
    }

    /** The changes in the order to write them: registers in {@link Register} order, then file order. */
    List<Change> changes() {
        return List.copyOf(changes);
    }

    ApplyResult.Counts counts(Register register) {
        int[] c = counts.getOrDefault(register, new int[3]);
        return new ApplyResult.Counts(c[0], c[1], c[2]);
    }
}
