package org.custodian.core.registers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.core.vocabulary.Purpose;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * The wire form of register items: the JSON objects of a register file, of the {@code item} and
 * {@code previous} members of {@code register.change} ledger entries, and of the API. Optional
 * members that are absent are omitted, never written as null. {@link RegisterFile} reads the same
 * form back.
 */
final class RegisterWire {
    private RegisterWire() {}

    static Map<String, Object> organisation(Organisation o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id());
        m.put("name", o.name());
        m.put("sector", o.sector().code());
        return m;
    }

    static Map<String, Object> person(Person p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("name", p.name());
        m.put("role", p.role().code());
        m.put("organisation", p.organisation());
        if (p.nhsNumber() != null) {
            m.put("nhsNumber", p.nhsNumber().value());
        }
        return m;
    }

    static Map<String, Object> careRelationship(CareRelationship r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("patient", r.patient().value());
        m.put("organisation", r.organisation());
        m.put("kind", r.kind().code());
        m.put("from", r.from().toString());
        if (r.to() != null) {
            m.put("to", r.to().toString());
        }
        return m;
    }

    static Map<String, Object> proxy(Proxy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proxy", p.proxy());
        m.put("patient", p.patient().value());
        m.put("scope", p.scope().code());
        m.put("from", p.from().toString());
        if (p.to() != null) {
            m.put("to", p.to().toString());
        }
        return m;
    }

    static Map<String, Object> project(Project p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("organisation", p.organisation());
        m.put("purpose", p.purpose().code());
        m.put("form", p.form().code());
        m.put("status", p.status().code());
        if (p.approvedFrom() != null) {
            m.put("approvedFrom", p.approvedFrom().toString());
        }
        m.put("approvedUntil", p.approvedUntil().toString());
        if (p.ethicsReference() != null) {
            m.put("ethicsReference", p.ethicsReference());
        }
        if (p.lead() != null) {
            Map<String, Object> lead = new LinkedHashMap<>();
            lead.put("name", p.lead().name());
            lead.put("role", p.lead().role());
            m.put("lead", lead);
        }
        if (p.publicBenefit() != null) {
            m.put("publicBenefit", p.publicBenefit());
        }
        // Omitted when empty, like the other optional members, so that a project stored before outputs existed
        // has the same wire form (and the same ledger entries) as before.
        if (!p.outputs().isEmpty()) {
            m.put("outputs", outputs(p.outputs()));
        }
        return m;
    }

    /** A project's outputs: {@code [{"title", "url"?}]}, the url omitted when there is none. */
    static List<Object> outputs(List<Project.Output> outputs) {
        List<Object> out = new ArrayList<>(outputs.size());
        for (Project.Output o : outputs) {
            Map<String, Object> om = new LinkedHashMap<>();
            om.put("title", o.title());
            if (o.url() != null) {
                om.put("url", o.url());
            }
            out.add(om);
        }
        return out;
    }

    static Map<String, Object> agreement(Agreement a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("title", a.title());
        m.put("partner", a.partner());
        m.put("processors", a.processors());
        m.put("purposes", a.purposes().stream().map(Purpose::code).toList());
        m.put("form", a.form().code());
        m.put("data", a.data());
        m.put("categories", a.categories().stream().map(SensitiveCategory::code).toList());
        m.put("legalBasis", a.legalBasis());
        m.put("optOutsApply", a.optOutsApply());
        m.put("from", a.from().toString());
        if (a.to() != null) {
            m.put("to", a.to().toString());
        }
        m.put("status", a.status().code());
        List<Object> payments = new ArrayList<>();
        for (Agreement.Payment p : a.payments()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("direction", p.direction().code());
            pm.put("description", p.description());
            if (p.amount() != null) {
                pm.put("amount", p.amount());
            }
            payments.add(pm);
        }
        m.put("payments", payments);
        return m;
    }

    static Map<String, Object> hostingSite(HostingSite h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", h.id());
        m.put("role", h.role().code());
        m.put("country", h.country());
        m.put("provider", h.provider());
        if (h.organisation() != null) {
            m.put("organisation", h.organisation());
        }
        if (h.description() != null) {
            m.put("description", h.description());
        }
        return m;
    }

    /** The wire form of any register item. */
    static Map<String, Object> item(Object item) {
        if (item instanceof Organisation o) {
            return organisation(o);
        } else if (item instanceof Person p) {
            return person(p);
        } else if (item instanceof CareRelationship r) {
            return careRelationship(r);
        } else if (item instanceof Proxy p) {
            return proxy(p);
        } else if (item instanceof Project p) {
            return project(p);
        } else if (item instanceof Agreement a) {
            return agreement(a);
        } else if (item instanceof HostingSite h) {
            return hostingSite(h);
        }
        throw new IllegalArgumentException("not a register item: " + item.getClass().getName());
    }

    /**
     * The members that identify an item in its register: {@code id}; a care relationship's patient,
     * organisation and from; a proxy's proxy, patient and from.
     */
    static Map<String, Object> key(Object item) {
        Map<String, Object> wire = item(item);
        Map<String, Object> key = new LinkedHashMap<>();
        for (String name : keyNames(item)) {
            key.put(name, wire.get(name));
        }
        return key;
    }

    private static String[] keyNames(Object item) {
        if (item instanceof CareRelationship) {
            return new String[] {"patient", "organisation", "from"};
        } else if (item instanceof Proxy) {
            return new String[] {"proxy", "patient", "from"};
        }
        return new String[] {"id"};
    }
}
