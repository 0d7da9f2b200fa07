package org.custodian.core.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.custodian.core.registers.Agreement;

/**
 * The JSON form of an {@link AuditReport} ({@code custodian audit agreement --format json}): members in camelCase,
 * the agreement in the register file's own form, counts as numbers, every finding with its ledger indexes.
 */
public final class AuditReportJson {
    private AuditReportJson() {}

    public static Map<String, Object> toJson(AuditReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("audit", "agreement");
        m.put("agreement", r.agreementId());
        m.put("from", r.from().toString());
        m.put("to", r.to().toString());
        m.put("days", "UTC");
        Map<String, Object> cp = new LinkedHashMap<>();
        cp.put("origin", r.checkpoint().origin());
        cp.put("treeSize", r.checkpoint().size());
        cp.put("rootHash", r.checkpoint().rootHex());
        cp.put("signedCheckpoint", r.checkpoint().note());
        m.put("checkpoint", cp);
        m.put("registered", version(r.current()));
        m.put("atStart", r.atStart() == null ? null : version(r.atStart()));
        List<Object> changes = new ArrayList<>();
        for (AuditReport.Change c : r.changes()) {
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("ledgerIndex", c.index());
            cm.put("at", c.at().toString());
            cm.put("action", c.action());
            cm.put("changed", c.changed());
            cm.put("previous", c.previous());
            cm.put("now", c.now());
            changes.add(cm);
        }
        m.put("changes", changes);
        m.put("months", r.months().stream().map(AuditReportJson::tally).toList());
        m.put("total", tally(r.total()));
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("permitsChecked", r.checks().permits());
        checks.put("outsideTerms", r.checks().outsideTerms());
        checks.put("optOutsIgnored", r.checks().optOutsIgnored());
        checks.put("refusedForPatientsChoices", r.checks().refusedForChoices());
        checks.put("erased", r.checks().erased());
        m.put("checks", checks);
        m.put("payments", r.payments().stream().map(AuditReportJson::payment).toList());
        List<Object> findings = new ArrayList<>();
        for (AuditReport.Finding f : r.findings()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("kind", f.kind());
            fm.put("text", f.text());
            fm.put("ledgerIndexes", f.indexes());
            findings.add(fm);
        }
        m.put("findings", findings);
        m.put("earlierAudits", r.audits());
        return m;
    }

    private static Map<String, Object> version(AuditReport.Version v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ledgerIndex", v.index());
        m.put("at", v.at().toString());
        m.put("item", v.item());
        return m;
    }

    private static Map<String, Object> payment(Agreement.Payment p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("direction", p.direction().code());
        m.put("description", p.description());
        m.put("amount", p.amount());
        return m;
    }

    private static Map<String, Object> tally(AuditReport.Tally t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("period", t.period());
        m.put("decisions", t.decisions());
        m.put("permits", t.permits());
        m.put("refusals", t.refusals());
        m.put("patients", t.patients());
        m.put("patientsPermitted", t.patientsPermitted());
        m.put("resources", t.resources());
        m.put("purposes", t.purposes());
        m.put("forms", t.forms());
        m.put("refusalReasons", t.refusalReasons());
        return m;
    }
}
