package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.custodian.core.registers.NhsNumber;
import org.custodian.ledger.entry.LedgerEntry;
import org.custodian.ledger.log.TransparencyLog;

/**
 * Requests refused before the gate could decide (a forged or expired token, a token used outside its
 * purpose, a consent change by someone not entitled to make it) that name an identifiable patient:
 * the refusal is itself recorded, as a {@value #TYPE} entry, so the patient sees attempts too.
 */
public final class Refusals {
    public static final String TYPE = "access.refused";
    private static final Logger LOG = Logger.getLogger(Refusals.class.getName());

    private final TransparencyLog log;
    private final Clock clock;

    public Refusals(TransparencyLog log, Clock clock) {
        this.log = requireNonNull(log, "log is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * Records the refusal and returns its ledger index, or -1 if it could not be recorded (the request
     * is refused either way; the failure is logged).
     *
     * @param claimedPerson who the request claimed to be (unverified when the token was bad), or null
     */
    public long record(NhsNumber patient, String code, String detail, String claimedPerson, String claimedOrganisation, String via) {
        requireNonNull(patient, "patient is null");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("patient", patient.value());
        return record(f, code, detail, claimedPerson, claimedOrganisation, via);
    }

    /**
     * As {@link #record(NhsNumber, String, String, String, String, String)}, for a stored record that is
     * not linked to an NHS number ({@code record} is its reference, {@code Patient/<id>}): refused because
     * nobody's consent or care relationship can be checked for it.
     */
    public long recordUnlinked(String record, String code, String detail, String person, String organisation, String via) {
        requireNonNull(record, "record is null");
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("record", record);
        return record(f, code, detail, person, organisation, via);
    }

    private long record(Map<String, Object> f, String code, String detail, String claimedPerson, String claimedOrganisation, String via) {
        f.put("reason", code);
        f.put("detail", detail.length() > 300 ? detail.substring(0, 300) : detail);
        if (claimedPerson != null) {
            f.put("claimedPerson", claimedPerson);
        }
        if (claimedOrganisation != null) {
            f.put("claimedOrganisation", claimedOrganisation);
        }
        f.put("via", via);
        try {
            return log.append(LedgerEntry.create(TYPE, 1, clock.instant(), f)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "could not record a refusal for a patient: " + e);
        }
        return -1;
    }
}
