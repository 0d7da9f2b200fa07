package org.custodian.records.index;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/**
 * The sensitive categories a resource falls under: those its {@code meta.security} labels say (HL7
 * InformationSensitivityPolicy codes), and those derived from its clinical codes through the list in
 * {@code sensitive-codes.tsv}. Derived from the codes in {@code code}, {@code reasonCode},
 * {@code medication[x]} and {@code value[x]} (where they are CodeableConcepts), and from contained resources
 * (a prescription's contained Medication).
 *
 * <p>These are a resource's own categories, read from the resource alone. A {@code medicationReference} to a
 * separate Medication is followed by the store, not here: each version is stored with its Medication's
 * categories added, and a Medication stored or changed later widens the versions referring to it
 * ({@code store.MedicationCategories}, {@link MedicationLinks}). A reference to a Medication that is not
 * stored here adds nothing.
 */
public final class Sensitivity {
    private static final String[] CODED_ELEMENTS = {"code", "reasonCode", "medication[x]", "value[x]"};

    private final Map<String, SensitiveCategory> exact = new HashMap<>();
    private final List<Prefix> prefixes = new ArrayList<>();

    private record Prefix(String system, String start, SensitiveCategory category) {}

    private Sensitivity() {}

    /** The list shipped with Custodian. */
    public static Sensitivity standard() {
        try (InputStream in = Sensitivity.class.getResourceAsStream("sensitive-codes.tsv")) {
            if (in == null) {
                throw new IllegalStateException("sensitive-codes.tsv is missing from the classpath");
            }
            return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Sensitivity read(BufferedReader reader) throws IOException {
        Sensitivity s = new Sensitivity();
        String line;
        int n = 0;
        while ((line = reader.readLine()) != null) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length < 3) {
                throw new IllegalArgumentException("sensitive-codes.tsv line " + n + ": expected system, code, category");
            }
            SensitiveCategory c = SensitiveCategory.fromCode(f[2])
                    .orElseThrow(() -> new IllegalArgumentException("unknown category " + f[2]));
            if (f[1].endsWith("*")) {
                s.prefixes.add(new Prefix(f[0], f[1].substring(0, f[1].length() - 1), c));
            } else {
                s.exact.put(f[0] + "|" + f[1], c);
            }
        }
        return s;
    }

    public Set<SensitiveCategory> categories(Resource r) {
        EnumSet<SensitiveCategory> found = EnumSet.noneOf(SensitiveCategory.class);
        if (r.hasMeta()) {
            for (Coding label : r.getMeta().getSecurity()) {
                if (SensitiveCategory.SYSTEM.equals(label.getSystem()) && label.hasCode()) {
                    SensitiveCategory.fromCode(label.getCode()).ifPresent(found::add);
                }
            }
        }
        for (String element : CODED_ELEMENTS) {
            Property p = r.getNamedProperty(element);
            if (p == null) {
                continue;
            }
            for (Base b : p.getValues()) {
                if (b instanceof CodeableConcept cc) {
                    for (Coding c : cc.getCoding()) {
                        add(c, found);
                    }
                }
            }
        }
        // A contained resource (a prescription's contained Medication) is part of this one, and so are its categories.
        if (r instanceof DomainResource d) {
            for (Resource contained : d.getContained()) {
                found.addAll(categories(contained));
            }
        }
        return found;
    }

    private void add(Coding c, Set<SensitiveCategory> found) {
        if (!c.hasCode() || !c.hasSystem()) {
            return;
        }
        SensitiveCategory hit = exact.get(c.getSystem() + "|" + c.getCode());
        if (hit != null) {
            found.add(hit);
        }
        for (Prefix p : prefixes) {
            if (p.system().equals(c.getSystem()) && c.getCode().startsWith(p.start())) {
                found.add(p.category());
            }
        }
    }
}
