package org.custodian.server.fhir;

import ca.uhn.fhir.context.FhirContext;

/**
 * The server's one FHIR R4 context. Building a {@link FhirContext} scans the model classes and takes
 * seconds, so there is exactly one per process; it is thread-safe once built. Parsers made from it
 * are cheap and MUST NOT be shared between threads: make one per use.
 */
public final class FhirR4 {
    private FhirR4() {}

    private static final class Holder {
        static final FhirContext CONTEXT = FhirContext.forR4();
    }

    /** The shared R4 context, built on first use. */
    public static FhirContext context() {
        return Holder.CONTEXT;
    }
}
