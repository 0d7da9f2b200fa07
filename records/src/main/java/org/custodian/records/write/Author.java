package org.custodian.records.write;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import org.custodian.core.identity.Caller;

/**
 * Who wrote: an authenticated caller (person, role, organisation, sector, purpose), or the deployment's
 * operator running {@code custodian import} on the database itself.
 */
public record Author(Map<String, Object> fields) {
    public Author {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(fields, "fields is null")));
    }

    public static Author of(Caller caller) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("person", caller.person().id());
        m.put("role", caller.person().role().code());
        m.put("organisation", caller.organisation().id());
        m.put("sector", caller.organisation().sector().code());
        m.put("purpose", caller.purpose().code());
        return new Author(m);
    }

    /** The operator of this deployment, named as the operating system knows them. */
    public static Author operator(String who) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("operator", requireNonNull(who, "who is null"));
        return new Author(m);
    }
}
