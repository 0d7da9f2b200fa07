package org.custodian.records.fhir;

import ca.uhn.fhir.context.FhirContext;

/**
 * The server's one FHIR R4 context. Building a {@link FhirContext} scans the model classes and takes
 * seconds, so there is exactly one per process; it is thread-safe once built. Parsers made from it
 * are cheap and MUST NOT be shared between threads: make one per use.
 */
public final class FhirR4 {
    private FhirR4() {}

    private static final class Holder {
        static final FhirContext CONTEXT = build();

        private static FhirContext build() {
            FhirContext ctx = FhirContext.forR4();
            // Store what was sent: keep versioned references as written, and keep an entry's own id
            // rather than replacing it with the bundle entry's fullUrl (references are resolved by Custodian).
            ctx.getParserOptions().setStripVersionsFromReferences(false);
            ctx.getParserOptions().setOverrideResourceIdWithBundleEntryFullUrl(false);
            // Contained resources are stored as sent; HAPI need not search each resource for references
            // to contain while encoding it (a third of the encoding time).
            ctx.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
            return ctx;
        }
    }

    /**
     * Builds the context and loads the model classes a Consent needs, in the background: HAPI's first
     * parse takes seconds, which the first patient to change their choices should not wait for.
     */
    public static void warmUpInBackground() {
        Thread t = new Thread(() -> {
            try {
                var parser = context().newJsonParser();
                var consent = new org.hl7.fhir.r4.model.Consent();
                consent.setStatus(org.hl7.fhir.r4.model.Consent.ConsentState.ACTIVE);
                consent.getProvision().addProvision().addPurpose().setCode("HRESCH");
                parser.parseResource(parser.encodeResourceToString(consent));
            } catch (RuntimeException e) {
                // Only a warm-up: the first real use will report whatever is wrong.
            }
        }, "fhir-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** The shared R4 context, built on first use. */
    public static FhirContext context() {
        return Holder.CONTEXT;
    }
}
