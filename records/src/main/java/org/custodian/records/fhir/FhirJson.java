package org.custodian.records.fhir;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;

/**
 * Reading and writing FHIR R4 JSON. Reading is strict: an unknown element, a value of the wrong type or
 * a malformed date is an error, not something silently dropped, because what is stored must be what
 * was meant.
 */
public final class FhirJson {
    private FhirJson() {}

    /**
     * @throws IllegalArgumentException with HAPI's explanation, if {@code json} is not a valid R4 resource
     */
    public static Resource parse(String json) {
        IParser parser = FhirR4.context().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        try {
            IBaseResource r = parser.parseResource(json);
            if (!(r instanceof Resource resource)) {
                throw new IllegalArgumentException("not an R4 resource");
            }
            return resource;
        } catch (DataFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    public static String encode(IBaseResource r) {
        return FhirR4.context().newJsonParser().encodeResourceToString(r);
    }
}
