package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * The agreement a request falls under, as {@link FactLookup#agreement} finds it.
 *
 * @param agreementId the agreement in force that covers the request, or (when none does) the one that came closest,
 *     recorded with the decision; null only for {@link AgreementState#NONE}
 * @param outside the sensitive categories the agreement does not cover, left out of a whole-record request
 */
public record AgreementMatch(AgreementState state, String agreementId, Set<SensitiveCategory> outside) {
    public static final AgreementMatch NONE = new AgreementMatch(AgreementState.NONE, null, Set.of());

    public AgreementMatch {
        requireNonNull(state, "state is null");
        requireNonNull(outside, "outside is null");
        if ((agreementId == null) != (state == AgreementState.NONE)) {
            throw new IllegalArgumentException("an agreement state needs an agreement id, and only then");
        }
    }
}
