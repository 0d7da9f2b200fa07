package org.custodian.core.decisions;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.custodian.core.registers.Relationship;
import org.custodian.core.rules.GovernedRule;
import org.custodian.core.rules.GovernedRuleSet;
import org.custodian.core.rules.Reason;
import org.custodian.core.rules.StatutoryRule;
import org.custodian.core.rules.StatutoryRules;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.PurposeGroup;
import org.custodian.core.vocabulary.SensitiveCategory;

/**
 * The decision as a pure function of the {@link Facts} and the governed rules in force. Four
 * stages, in this order, each adding the reasons it denies for:
 *
 * <ol>
 *   <li>statutory rules, fixed in code: a statutory refusal can never be undone by a later stage,
 *       because any denial reason makes the decision a denial and no stage removes reasons;
 *   <li>access rules, fixed in code: the patient's own purposes are for the patient and their proxies;
 *   <li>governed rules (secondary use only): a rule must cover the sector, purpose and form, and its
 *       conditions (project in force, ethics approval) must hold;
 *       and the organisation's data-sharing agreement for the purpose, if it has one, must be in force and cover
 *       the form and the data asked for;
 *   <li>the patient's consent: refused purposes, organisations and withheld categories.
 * </ol>
 *
 * A request that no stage denies is permitted, with the reasons it was allowed and its obligations.
 */
public final class Policy {
    /** OpenSAFELY's disclosure control: counts below 8 are redacted, the rest rounded to 5. */
    public static final int DEFAULT_MINIMUM_COUNT = 8;
    public static final int ROUND_TO = 5;

    static final Reason OWN_RECORD_ONLY = new Reason("access.own-record-only",
            "Only the patient may use the purpose 'patient request'.");
    static final Reason PROXY_ONLY = new Reason("access.proxy-only",
            "Only a carer or attorney registered to act for the patient may use a proxy purpose.");
    static final Reason CARE_IS_IDENTIFIABLE = new Reason("access.care-is-identifiable",
            "Care and a patient's own requests are for identifiable records; pseudonymised and aggregate data are for"
                    + " research and planning.");
    static final Reason NO_GOVERNED_RULE = new Reason("governed.no-rule",
            "No rule in force lets this kind of organisation receive this form of data for this purpose.");
    static final Reason PROJECT_REQUIRED = new Reason("project.required",
            "This use is allowed only through an approved project, and none was named.");
    static final Reason PROJECT_NOT_IN_FORCE = new Reason("project.not-in-force",
            "The project named is not approved and in date (it may be pending, suspended, ended, expired or not yet started).");
    static final Reason PROJECT_OTHER_ORGANISATION = new Reason("project.other-organisation",
            "The project named belongs to another organisation.");
    static final Reason PROJECT_OTHER_PURPOSE = new Reason("project.other-purpose",
            "The project named was approved for another purpose.");
    static final Reason PROJECT_FORM_EXCEEDED = new Reason("project.form-exceeded",
            "The project was approved for a less identifying form of data than was asked for.");
    static final Reason ETHICS_REQUIRED = new Reason("project.ethics-approval-required",
            "This use needs a project with a research ethics approval, and the project has none recorded.");
    static final Reason AGREEMENT_NOT_IN_FORCE = new Reason("agreement.not-in-force",
            "The organisation's data-sharing agreement for this purpose is not in force (it may be pending, suspended,"
                    + " ended or expired).");
    static final Reason AGREEMENT_FORM_EXCEEDED = new Reason("agreement.form-exceeded",
            "The organisation's data-sharing agreement allows a less identifying form of data than was asked for.");
    static final Reason AGREEMENT_DATA_EXCEEDED = new Reason("agreement.data-exceeded",
            "The organisation's data-sharing agreement does not cover all the data asked for (or the request did not say which data).");
    static final Reason CONSENT_ORGANISATION = new Reason("consent.organisation-refused",
            "The patient has refused this organisation the use of their data.");
    static final Reason CONSENT_DIRECT_CARE = new Reason("consent.direct-care-sharing-refused",
            "The patient has chosen that only their own GP practice may see their record for care.");
    static final Reason CONSENT_RESEARCH = new Reason("consent.research-opt-out",
            "The patient has opted out of research, and that covers pseudonymised and aggregate data too.");
    static final Reason CONSENT_PLANNING = new Reason("consent.planning-opt-out",
            "The patient has opted out of planning, and that covers pseudonymised and aggregate data too.");
    static final Reason CONSENT_CATEGORIES = new Reason("consent.categories-withheld",
            "Everything asked for is in categories the patient withholds.");

    static final Reason CARE_RELATIONSHIP = new Reason("care.relationship",
            "The organisation cares for the patient (registered practice, referral or episode of care).");
    static final Reason BREAK_GLASS = new Reason("care.break-glass",
            "Emergency access by a clinician without the usual permission: flagged, reviewed by the organisation's"
                    + " Caldicott Guardian, and shown to the patient.");
    static final Reason OWN_RECORD = new Reason("access.own-record", "The patient is reading their own record.");
    static final Reason PROXY = new Reason("access.proxy", "A carer or attorney registered to act for the patient.");
    static final Reason PROJECT_IN_FORCE = new Reason("project.in-force", "An approved project in force.");
    static final Reason AGREEMENT_IN_FORCE = new Reason("agreement.in-force",
            "Within the organisation's data-sharing agreement in force, published in the agreements register.");
    static final Reason AGREEMENT_CATEGORIES_LEFT_OUT = new Reason("agreement.categories-left-out",
            "Categories the data-sharing agreement does not cover are left out.");
    static final Reason CONSENT_RESPECTED = new Reason("consent.respected", "The patient's choices allow this.");
    static final Reason CONSENT_CATEGORIES_LEFT_OUT = new Reason("consent.categories-left-out",
            "Categories the patient withholds are left out.");

    private Policy() {}

    /**
     * Every reason the policy and the gate give, other than statutory rules and governed rules
     * (which carry their own texts): what {@code GET /api/rules} publishes, so that a recorded
     * reason code always has one meaning.
     */
    public static java.util.List<Reason> fixedReasons() {
        return java.util.List.of(OWN_RECORD_ONLY, PROXY_ONLY, CARE_IS_IDENTIFIABLE, NO_GOVERNED_RULE, PROJECT_REQUIRED,
                PROJECT_NOT_IN_FORCE, PROJECT_OTHER_ORGANISATION, PROJECT_OTHER_PURPOSE, PROJECT_FORM_EXCEEDED, ETHICS_REQUIRED,
                AGREEMENT_NOT_IN_FORCE, AGREEMENT_FORM_EXCEEDED, AGREEMENT_DATA_EXCEEDED, AGREEMENT_IN_FORCE, AGREEMENT_CATEGORIES_LEFT_OUT,
                CONSENT_ORGANISATION, CONSENT_DIRECT_CARE, CONSENT_RESEARCH, CONSENT_PLANNING, CONSENT_CATEGORIES,
                CARE_RELATIONSHIP, BREAK_GLASS, OWN_RECORD, PROXY, PROJECT_IN_FORCE, CONSENT_RESPECTED,
                CONSENT_CATEGORIES_LEFT_OUT, Gate.UNAVAILABLE);
    }

    public static Decision decide(Facts f, GovernedRuleSet governed) {
        List<Reason> denials = new ArrayList<>(2);
        PurposeGroup group = f.purpose().group();

        // 1. Statutory rules: first, and final.
        EnumSet<StatutoryRule> forbidden = StatutoryRules.forbidding(f.sector(), f.role(), f.purpose(), f.form(), f.relationship());
        for (StatutoryRule rule : forbidden) {
            denials.add(rule.reason());
        }

        // 2. Access rules fixed in code.
        if (group == PurposeGroup.OWN_RECORD && f.relationship() != Relationship.SELF) {
            denials.add(OWN_RECORD_ONLY);
        }
        if (group == PurposeGroup.PROXY && f.relationship() != Relationship.PROXY) {
            denials.add(PROXY_ONLY);
        }
        if (!group.isSecondary() && f.form() != DataForm.IDENTIFIABLE) {
            denials.add(CARE_IS_IDENTIFIABLE);
        }

        // 3. Governed rules: secondary use only, and only what a rule covers.
        GovernedRule rule = null;
        if (group.isSecondary()) {
            rule = governed.covering(f.sector(), f.purpose(), f.form());
            if (rule == null) {
                denials.add(NO_GOVERNED_RULE);
            } else if (rule.requiresProject()) {
                Reason projectProblem = projectProblem(f.projectState(), rule.requiresEthicsReference());
                if (projectProblem != null) {
                    denials.add(projectProblem);
                }
            }
            // An agreement only narrows what the rules above allow: it adds refusals, never removes one.
            Reason agreementProblem = agreementProblem(f.agreement().state());
            if (agreementProblem != null) {
                denials.add(agreementProblem);
            }
        }

        // 4. The patient's choices. An emergency overrides refusals of organisations and of sharing
        // beyond the practice (that is what break-glass is for), never withheld categories.
        boolean emergency = StatutoryRules.mayBreakGlass(f.role(), f.purpose());
        boolean patientSide = group == PurposeGroup.OWN_RECORD || group == PurposeGroup.PROXY;
        boolean overridden = false;
        if (f.organisationRefused() && !patientSide) {
            if (emergency) {
                overridden = true;
            } else {
                denials.add(CONSENT_ORGANISATION);
            }
        }
        if (group.isDirectCare() && f.relationship() == Relationship.CARE_OTHER && f.refusedPurposes().contains(PurposeGroup.DIRECT_CARE)) {
            if (emergency) {
                overridden = true;
            } else {
                denials.add(CONSENT_DIRECT_CARE);
            }
        }
        if (group == PurposeGroup.RESEARCH && f.refusedPurposes().contains(PurposeGroup.RESEARCH)) {
            denials.add(CONSENT_RESEARCH);
        }
        if (group == PurposeGroup.PLANNING && f.refusedPurposes().contains(PurposeGroup.PLANNING)) {
            denials.add(CONSENT_PLANNING);
        }
        EnumSet<SensitiveCategory> withheld = EnumSet.noneOf(SensitiveCategory.class);
        if (f.relationship() != Relationship.SELF || group != PurposeGroup.OWN_RECORD) {
            withheld.addAll(f.withheldCategories());
            if (!f.requestedCategories().isEmpty()) {
                withheld.retainAll(f.requestedCategories());
                if (withheld.containsAll(f.requestedCategories())) {
                    denials.add(CONSENT_CATEGORIES);
                }
            }
        }

        if (!denials.isEmpty()) {
            return Decision.deny(denials);
        }
        return permit(f, group, rule, withheld, emergency && (overridden || !StatutoryRules.hasCareRelationship(f.role(), f.relationship())));
    }

    private static Reason agreementProblem(AgreementState state) {
        return switch (state) {
            case NONE, IN_FORCE -> null;
            case NOT_IN_FORCE -> AGREEMENT_NOT_IN_FORCE;
            case FORM_EXCEEDED -> AGREEMENT_FORM_EXCEEDED;
            case DATA_EXCEEDED -> AGREEMENT_DATA_EXCEEDED;
        };
    }

    private static Reason projectProblem(ProjectState state, boolean ethicsRequired) {
        return switch (state) {
            case IN_FORCE -> null;
            case IN_FORCE_WITHOUT_ETHICS -> ethicsRequired ? ETHICS_REQUIRED : null;
            case NONE -> PROJECT_REQUIRED;
            case NOT_IN_FORCE -> PROJECT_NOT_IN_FORCE;
            case OTHER_ORGANISATION -> PROJECT_OTHER_ORGANISATION;
            case OTHER_PURPOSE -> PROJECT_OTHER_PURPOSE;
            case FORM_EXCEEDED -> PROJECT_FORM_EXCEEDED;
        };
    }

    private static Decision permit(Facts f, PurposeGroup group, GovernedRule rule, EnumSet<SensitiveCategory> withheld, boolean breakGlass) {
        List<Reason> reasons = new ArrayList<>(3);
        List<Obligation> obligations = new ArrayList<>(2);
        if (breakGlass) {
            reasons.add(BREAK_GLASS);
        } else if (group.isDirectCare()) {
            reasons.add(CARE_RELATIONSHIP);
        } else if (group == PurposeGroup.OWN_RECORD) {
            reasons.add(OWN_RECORD);
        } else if (group == PurposeGroup.PROXY) {
            reasons.add(PROXY);
        } else {
            reasons.add(new Reason("governed." + rule.id(), rule.description()));
            if (f.projectId() != null) {
                reasons.add(PROJECT_IN_FORCE);
            }
            if (f.agreement().state() == AgreementState.IN_FORCE) {
                reasons.add(AGREEMENT_IN_FORCE);
            }
        }
        reasons.add(CONSENT_RESPECTED);
        if (!withheld.isEmpty()) {
            reasons.add(CONSENT_CATEGORIES_LEFT_OUT);
        }
        EnumSet<SensitiveCategory> outside = EnumSet.noneOf(SensitiveCategory.class);
        if (group.isSecondary()) {
            outside.addAll(f.agreement().outside());
            outside.removeAll(withheld);
            if (!outside.isEmpty()) {
                reasons.add(AGREEMENT_CATEGORIES_LEFT_OUT);
            }
        }
        if (!withheld.isEmpty() || !outside.isEmpty()) {
            EnumSet<SensitiveCategory> all = EnumSet.copyOf(withheld);
            all.addAll(outside);
            obligations.add(new Obligation.WithholdCategories(all));
        }
        if (f.form() == DataForm.PSEUDONYMISED) {
            // Reached only through a governed rule requiring a project in force (GovernedRule checks it).
            obligations.add(new Obligation.Pseudonymise(java.util.Objects.requireNonNull(f.projectId(), "pseudonymised data without a project")));
        }
        if (f.form() == DataForm.AGGREGATE) {
            obligations.add(new Obligation.Aggregate(rule != null ? rule.minimumCount() : DEFAULT_MINIMUM_COUNT, ROUND_TO));
        }
        return new Decision(Decision.Effect.PERMIT, reasons, obligations, breakGlass);
    }
}
