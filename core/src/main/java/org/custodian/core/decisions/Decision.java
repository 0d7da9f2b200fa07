package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.custodian.core.rules.Reason;

/**
 * The gate's answer: permit or deny, every reason (rule codes and plain words), the obligations a
 * permit carries, and whether it was a break-glass access (flagged, reviewed, shown to the patient).
 */
public record Decision(Effect effect, List<Reason> reasons, List<Obligation> obligations, boolean breakGlass) {

    public enum Effect {
        PERMIT("permit"),
        DENY("deny");

        private final String code;

        Effect(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public Decision {
        requireNonNull(effect, "effect is null");
        reasons = List.copyOf(reasons);
        obligations = List.copyOf(obligations);
        if (reasons.isEmpty()) {
            throw new IllegalArgumentException("a decision needs at least one reason");
        }
        if (effect == Effect.DENY && (!obligations.isEmpty() || breakGlass)) {
            throw new IllegalArgumentException("a denial carries no obligations and is not a break-glass access");
        }
    }

    public boolean permitted() {
        return effect == Effect.PERMIT;
    }

    public static Decision deny(List<Reason> reasons) {
        return new Decision(Effect.DENY, reasons, List.of(), false);
    }
}
