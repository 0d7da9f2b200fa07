package org.custodian.records.summary;

import static org.custodian.records.summary.SummaryItem.UNKNOWN;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.Ratio;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.TimeType;
import org.hl7.fhir.r4.model.Type;

/**
 * Plain words for what FHIR codes: concepts, quantities, units and the value[x] choices. Written for
 * patients, so codes are turned into words where a code has a common meaning, and a code nobody named is
 * shown as "Unknown (code X)" rather than dropped: the code is still something a patient can ask about.
 */
final class Words {
    /**
     * SNOMED CT's semantic tags ("Fatigue (finding)"): a classification for clinicians, not part of the
     * name. Synthea, and many systems, put the fully specified name in display and text.
     */
    private static final Pattern SEMANTIC_TAG = Pattern.compile("\\s+\\((disorder|finding|procedure|situation|substance|product"
            + "|medicinal product|clinical drug|morphologic abnormality|observable entity|regime/therapy|qualifier value|event"
            + "|body structure|organism|person|physical object|record artifact|environment|social concept|assessment scale"
            + "|occupation|ethnic group|religion/philosophy|life style)\\)$");

    /** UCUM codes as people write them; a code not listed here is shown as it is. */
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("Cel", "°C"), Map.entry("[degF]", "°F"), Map.entry("/min", "per minute"), Map.entry("mm[Hg]", "mmHg"),
            Map.entry("kg/m2", "kg/m²"), Map.entry("[lb_av]", "lb"), Map.entry("[in_i]", "in"), Map.entry("[ft_i]", "ft"),
            Map.entry("10*3/uL", "× 10³ per µL"), Map.entry("10*6/uL", "× 10⁶ per µL"), Map.entry("10*9/L", "× 10⁹ per L"),
            Map.entry("10*12/L", "× 10¹² per L"), Map.entry("ug/L", "µg/L"), Map.entry("ug/dL", "µg/dL"), Map.entry("umol/L", "µmol/L"),
            Map.entry("uL", "µL"), Map.entry("a", "years"), Map.entry("mo", "months"), Map.entry("wk", "weeks"), Map.entry("d", "days"),
            Map.entry("h", "hours"));

    private static final Pattern ANNOTATION_ONLY = Pattern.compile("\\{[^}]*}");

    private Words() {}

    /** A concept's name: its text, else a coding's display, else "Unknown (code X)", else "Unknown". */
    static String concept(CodeableConcept cc) {
        if (cc == null) {
            return UNKNOWN;
        }
        Optional<String> named = named(cc);
        if (named.isPresent()) {
            return named.get();
        }
        for (Coding c : cc.getCoding()) {
            if (c.hasCode() && !c.getCode().isBlank()) {
                return UNKNOWN + " (code " + c.getCode().strip() + ")";
            }
        }
        return UNKNOWN;
    }

    /** A concept's text or a coding's display, if it has either. */
    static Optional<String> named(CodeableConcept cc) {
        if (cc == null) {
            return Optional.empty();
        }
        if (cc.hasText() && !cc.getText().isBlank()) {
            return Optional.of(untagged(cc.getText()));
        }
        for (Coding c : cc.getCoding()) {
            if (c.hasDisplay() && !c.getDisplay().isBlank()) {
                return Optional.of(untagged(c.getDisplay()));
            }
        }
        return Optional.empty();
    }

    /** The first of these concepts with a name or code, as {@link #concept}; "Unknown" if none. */
    static String firstConcept(List<CodeableConcept> concepts) {
        for (CodeableConcept cc : concepts) {
            String w = concept(cc);
            if (!w.equals(UNKNOWN)) {
                return w;
            }
        }
        return UNKNOWN;
    }

    /** The code of the first coding with one, from any system: statuses are read by code. */
    static Optional<String> code(CodeableConcept cc) {
        if (cc == null) {
            return Optional.empty();
        }
        return cc.getCoding().stream().filter(Coding::hasCode).map(Coding::getCode).findFirst();
    }

    static String untagged(String name) {
        String s = name.strip();
        String without = SEMANTIC_TAG.matcher(s).replaceFirst("");
        return without.isEmpty() ? s : without;
    }

    /** A number as written, without trailing zeros or exponent: 82, 37.019, 0.5. */
    static String number(BigDecimal n) {
        BigDecimal s = n.stripTrailingZeros();
        return (s.scale() < 0 ? s.setScale(0) : s).toPlainString();
    }

    /** A unit in the form people write it; empty for none, or for a UCUM annotation alone ("{score}"). */
    static String unit(String unit, String code) {
        String u = unit != null && !unit.isBlank() ? unit.strip() : code != null ? code.strip() : "";
        String mapped = UNITS.getOrDefault(u, u);
        return ANNOTATION_ONLY.matcher(mapped).matches() ? "" : mapped;
    }

    /** "82 kg", "< 5 mmol/L", "3" (a score); "Unknown" when the quantity has no number. */
    static String quantity(Quantity q) {
        if (q == null || !q.hasValue()) {
            return UNKNOWN;
        }
        StringBuilder s = new StringBuilder();
        if (q.hasComparator() && q.getComparator() != null && q.getComparator() != Quantity.QuantityComparator.NULL) {
            s.append(q.getComparator().toCode()).append(' ');
        }
        s.append(number(q.getValue()));
        String unit = unit(q.getUnit(), q.getCode());
        if (!unit.isEmpty()) {
            s.append(unit.startsWith("%") ? "" : " ").append(unit);
        }
        return s.toString();
    }

    /**
     * Any value[x] in words: Quantity, CodeableConcept, string, boolean, integer, Range, Ratio,
     * SampledData, time, dateTime and Period; "Unknown" for none or an empty one.
     */
    static String value(Type v) {
        if (v == null || v.isEmpty()) {
            return UNKNOWN;
        }
        if (v instanceof Quantity q) {
            return quantity(q);
        }
        if (v instanceof CodeableConcept cc) {
            return concept(cc);
        }
        if (v instanceof BooleanType b) {
            return b.hasValue() ? (b.booleanValue() ? "Yes" : "No") : UNKNOWN;
        }
        if (v instanceof IntegerType i) {
            return i.hasValue() ? Integer.toString(i.getValue()) : UNKNOWN;
        }
        if (v instanceof StringType s) {
            return s.hasValue() && !s.getValue().isBlank() ? s.getValue().strip() : UNKNOWN;
        }
        if (v instanceof TimeType t) {
            return t.hasValue() && t.getValue().length() >= 5 ? t.getValue().substring(0, 5) : UNKNOWN;
        }
        if (v instanceof BaseDateTimeType d) {
            return SummaryDate.parse(d.getValueAsString()).map(SummaryDate::words).orElse(UNKNOWN);
        }
        if (v instanceof Period p) {
            return period(p);
        }
        if (v instanceof Range r) {
            return range(r);
        }
        if (v instanceof Ratio r) {
            return ratio(r);
        }
        if (v instanceof SampledData) {
            return "A series of measurements (not shown here)";
        }
        if (v instanceof PrimitiveType<?> p && p.hasValue()) {
            return p.getValueAsString();
        }
        return UNKNOWN;
    }

    /** "From 3 April 2019 to 5 April 2019", "From 3 April 2019", "Until 5 April 2019", or "Unknown". */
    static String period(Period p) {
        Optional<SummaryDate> start = p.hasStart() ? SummaryDate.parse(p.getStartElement().getValueAsString()) : Optional.empty();
        Optional<SummaryDate> end = p.hasEnd() ? SummaryDate.parse(p.getEndElement().getValueAsString()) : Optional.empty();
        if (start.isPresent() && end.isPresent()) {
            return "From " + start.get().words() + " to " + end.get().words();
        }
        if (start.isPresent()) {
            return "From " + start.get().words();
        }
        return end.map(e -> "Until " + e.words()).orElse(UNKNOWN);
    }

    /** "4 to 6 mmol/L", "At least 4 mmol/L", "At most 6 mmol/L", or "Unknown". */
    static String range(Range r) {
        boolean low = r.hasLow() && r.getLow().hasValue();
        boolean high = r.hasHigh() && r.getHigh().hasValue();
        if (low && high) {
            String lowUnit = unit(r.getLow().getUnit(), r.getLow().getCode());
            String highUnit = unit(r.getHigh().getUnit(), r.getHigh().getCode());
            // "4 to 6 mmol/L" when both ends share a unit; each with its own otherwise.
            return lowUnit.equals(highUnit) ? number(r.getLow().getValue()) + " to " + quantity(r.getHigh())
                    : quantity(r.getLow()) + " to " + quantity(r.getHigh());
        }
        if (low) {
            return "At least " + quantity(r.getLow());
        }
        return high ? "At most " + quantity(r.getHigh()) : UNKNOWN;
    }

    /** "1 / 128" or "5 mg / 1 mL" (a titre, a concentration); "Unknown" if either side is missing. */
    static String ratio(Ratio r) {
        if (!r.hasNumerator() || !r.getNumerator().hasValue() || !r.hasDenominator() || !r.getDenominator().hasValue()) {
            return UNKNOWN;
        }
        return quantity(r.getNumerator()) + " / " + quantity(r.getDenominator());
    }

    /** Words joined by "; ", leaving out blanks and "Unknown"s; empty if nothing is left. */
    static Optional<String> joined(List<String> words) {
        List<String> kept = new ArrayList<>();
        for (String w : words) {
            if (w != null && !w.isBlank() && !w.equals(UNKNOWN) && !kept.contains(w)) {
                kept.add(w.strip());
            }
        }
        return kept.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", kept));
    }

    /** A text if it says something. */
    static Optional<String> text(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s.strip());
    }
}
