package org.custodian.core.foi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.custodian.core.registers.Agreement;
import org.custodian.core.registers.HostingSite;
import org.custodian.core.registers.Organisation;
import org.custodian.core.registers.PublicRegisters;
import org.custodian.core.registers.PublicRegisters.Recorded;
import org.custodian.core.registers.Sector;
import org.custodian.core.statistics.MonthlyCounts;
import org.custodian.core.statistics.MonthlyCounts.Decisions;
import org.custodian.core.statistics.MonthlyCounts.Reasons;
import org.custodian.core.statistics.SmallNumbers;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.junit.jupiter.api.Test;

/** The answers from made-up counts and registers: what is counted where, and the suppression at its edges. */
class TestFoiQuestions {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final YearMonth JAN = YearMonth.of(2026, 1);
    private static final YearMonth FEB = YearMonth.of(2026, 2);

    private static <T> Recorded<T> recorded(T item) {
        return new Recorded<>(item, 7, NOW);
    }

    private static final PublicRegisters.Reading REGISTERS = new PublicRegisters.Reading(List.of(
            recorded(new Organisation("QX1", "Northfield ICB", Sector.NHS_COMMISSIONER)),
            recorded(new Organisation("uni", "University of Northfield", Sector.PUBLIC_RESEARCH)),
            recorded(new Organisation("acme", "Acme Ltd", Sector.PRIVATE_COMPANY)),
            recorded(new Organisation("ho", "Home Office", Sector.OTHER_GOVERNMENT))), List.of(),
            List.of(recorded(new Agreement("dsa-1", "Planning", "QX1", List.of("acme"), Set.of(Purpose.HOPERAT), DataForm.AGGREGATE, List.of(), Set.of(),
                    "Article 6(1)(e)", true, LocalDate.of(2025, 1, 1), null, Agreement.Status.ACTIVE,
                    List.of(new Agreement.Payment(Agreement.Payment.Direction.TO_PARTNER, "platform fee", "£1"))))));

    private static FoiAnswers answer(List<Decisions> decisions, List<Reasons> reasons) {
        MonthlyCounts counts = new MonthlyCounts(1000, Optional.of(NOW), 1000, decisions, reasons, 40, Map.of("research", 12L, "planning", 3L));
        return FoiQuestions.answer(new FoiPeriod(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 2, 28)), REGISTERS, counts,
                Hosting.embedded(Path.of("/srv/c")), NOW, LocalDate.of(2026, 3, 10));
    }

    private static OptionalLong figure(FoiAnswers a, String answer, String figure) {
        return a.answer(answer).figure(figure).count();
    }

    @Test
    void monthsAreSummedAndOnlyPermittedSecondaryUseCountsAsReceiving() {
        FoiAnswers a = answer(List.of(
                new Decisions(JAN, "permit", "HOPERAT", "nhs-commissioner", "QX1", 6),
                new Decisions(FEB, "permit", "HOPERAT", "nhs-commissioner", "QX1", 7),
                new Decisions(FEB, "permit", "TREAT", "nhs-care", "A1", 500),
                new Decisions(FEB, "deny", "HRESCH", "public-research", "uni", 30)), List.of());
        assertEquals(OptionalLong.of(15), figure(a, "organisations", "secondary-permits"), "6 + 7 = 13, rounded");
        assertEquals(OptionalLong.of(15), figure(a, "organisations", "organisation:QX1"));
        assertEquals(OptionalLong.of(0), figure(a, "organisations", "sector:private-company"));
        assertEquals(OptionalLong.of(0), figure(a, "organisations", "sector:nhs-care"), "care is not secondary use");
        assertTrue(String.join(" ", a.answer("organisations").statements()).contains("Acme Ltd processes data for Northfield ICB"));
        assertTrue(a.answer("legal-basis").tables().get(0).rows().get(0).contains("to the partner: platform fee (£1)"));
    }

    @Test
    void suppressionAtTheEdges() {
        record Case(long permits, long refusals, OptionalLong publishedPermits, OptionalLong publishedRefusals) {}
        for (Case c : List.of(
                new Case(0, 0, OptionalLong.of(0), OptionalLong.of(0)),
                new Case(0, 1, OptionalLong.of(0), OptionalLong.empty()),
                new Case(0, 7, OptionalLong.of(0), OptionalLong.empty()),
                new Case(0, 8, OptionalLong.of(0), OptionalLong.of(10)),
                new Case(0, 12, OptionalLong.of(0), OptionalLong.of(10)),
                new Case(0, 13, OptionalLong.of(0), OptionalLong.of(15)),
                // One redacted of the pair that adds up to the published requests: the other is redacted too.
                new Case(3, 20, OptionalLong.empty(), OptionalLong.empty()))) {
            FoiAnswers a = answer(List.of(new Decisions(JAN, "permit", "HOPERAT", "other-government", "ho", c.permits()),
                    new Decisions(JAN, "deny", "GOV", "other-government", "ho", c.refusals())),
                    List.of(new Reasons(JAN, "other-government", "statutory.no-other-government-secondary-use", c.refusals())));
            assertEquals(c.publishedPermits(), figure(a, "other-government", "other-government-permits"), c.toString());
            assertEquals(c.publishedRefusals(), figure(a, "other-government", "other-government-refusals"), c.toString());
            assertEquals(SmallNumbers.publish(c.refusals()), figure(a, "other-government", "other-government-statutory-refusals"), c.toString());
        }
    }

    @Test
    void optOutsAreTheStateNowAndAlgorithmsAreNotRegistered() {
        FoiAnswers a = answer(List.of(), List.of(new Reasons(FEB, "public-research", "consent.research-opt-out", 9)));
        assertEquals(OptionalLong.of(40), figure(a, "opt-outs", "patients-registered"));
        assertEquals(OptionalLong.of(10), figure(a, "opt-outs", "opted-out:research"));
        assertEquals(OptionalLong.empty(), figure(a, "opt-outs", "opted-out:planning"));
        assertEquals(OptionalLong.of(10), figure(a, "opt-outs", "refused:consent.research-opt-out"));
        assertTrue(a.answer("opt-outs").statements().stream().anyMatch(s -> s.contains("pseudonymised and aggregate data")));
        assertEquals("None are registered; Custodian has no algorithm register yet.", a.answer("algorithms").statements().get(0));
        assertTrue(a.periodNotes().stream().anyMatch(n -> n.contains("tree size 1000")));
    }

    // ------------------------------------------------------------------ (f) hosting

    private static final List<Recorded<HostingSite>> SITES = List.of(
            recorded(new HostingSite("dc1", HostingSite.SiteRole.PRIMARY, "United Kingdom", "Northfield City Council data centre", null,
                    "Run by the council's own staff.")),
            recorded(new HostingSite("acme-dr", HostingSite.SiteRole.DISASTER_RECOVERY, "Ireland", "Acme Cloud, Dublin region", "acme", null)),
            recorded(new HostingSite("icb-backup", HostingSite.SiteRole.BACKUP, "United Kingdom", "Northfield ICB's own servers", "QX1", null)));

    private static FoiAnswers.Answer hosting(List<Recorded<HostingSite>> sites, Hosting seen) {
        return FoiQuestions.hosting(new PublicRegisters.Reading(REGISTERS.organisations(), REGISTERS.projects(), REGISTERS.agreements(), sites), seen);
    }

    @Test
    void withoutADeclarationTheHostingAnswerSaysTheOperatorHasNotStatedItAndWhatTheProcessSees() {
        FoiAnswers.Answer a = answer(List.of(), List.of()).answer("hosting");
        assertEquals("f", a.letter());
        assertEquals(List.of(
                "The operator of this deployment has not stated where the data is hosted: the hosting register is empty. Custodian does not know"
                        + " which country its machine is in; the operator of this deployment can say.",
                Hosting.embedded(Path.of("/srv/c")).seen()), a.statements().subList(0, 2));
        assertTrue(a.statements().get(1).contains("embedded PostgreSQL database") && a.statements().get(1).contains("on the machine that runs"));
        assertFalse(String.join(" ", a.statements()).contains("/srv/c"), "never a path");
        assertTrue(a.statements().stream().anyMatch(s -> s.contains("no third-party cloud")));
        assertEquals(List.of(), a.tables().get(0).rows());

        FoiAnswers.Answer external = hosting(List.of(), Hosting.external("jdbc:postgresql://db.example:5432/c?password=secret"));
        assertTrue(external.statements().get(1).endsWith("the database server this deployment's operator set up: db.example:5432."),
                external.statements().get(1));
        assertTrue(external.statements().get(2).startsWith("If that server is a cloud provider's managed database"));
        assertFalse(String.join(" ", external.statements()).contains("secret"));
    }

    @Test
    void theHostingAnswerStatesEachDeclaredSiteAndThatAPrivateProviderIsAProcessorBesideWhatTheProcessSees() {
        FoiAnswers.Answer a = hosting(SITES, Hosting.embedded(Path.of("/srv/c")));
        List<String> s = a.statements();
        assertEquals("The operator of this deployment declares that the data is hosted at 3 sites, in the hosting register (each change to it is"
                + " an entry in the ledger; the entry of each site's current version is named below):", s.get(0));
        // Primary first, then backup, then disaster recovery.
        assertEquals("Primary site (dc1): country United Kingdom; provider Northfield City Council data centre. The operator adds: Run by the"
                + " council's own staff.", s.get(1));
        assertEquals("Backup site (icb-backup): country United Kingdom; provider Northfield ICB's own servers (registered as Northfield ICB,"
                + " NHS commissioner).", s.get(2));
        assertEquals("Disaster-recovery site (acme-dr): country Ireland; provider Acme Cloud, Dublin region (registered as Acme Ltd, private"
                + " company). Acme Ltd is a private company: it acts only as a processor, running the machines on behalf of the organisation"
                + " responsible for the data, and the statutory rule \"statutory.no-private-secondary-use\" refuses it any use of the data for"
                + " anything of its own.", s.get(3));
        // What the process sees is its own sentence, and the two are not merged or reconciled by guesswork.
        assertEquals(Hosting.embedded(Path.of("/srv/c")).seen(), s.get(4));
        assertEquals("Custodian cannot check the operator's declaration against what it sees: it knows that the database is embedded on the"
                + " machine running this service, not which of the declared sites, or which country, that machine is in.", s.get(5));
        assertFalse(String.join(" ", s).contains("does not know which country"), "the operator has said");
        assertFalse(String.join(" ", s).contains("/srv/c"));

        FoiAnswers.RegisterRows t = a.tables().get(0);
        assertEquals(List.of("Site", "Role", "Country", "Provider", "Provider's organisation (sector)", "Description", "Ledger entry"), t.headings());
        assertEquals(List.of(
                List.of("dc1", "Primary site", "United Kingdom", "Northfield City Council data centre", "not in the register",
                        "Run by the council's own staff.", "7"),
                List.of("icb-backup", "Backup site", "United Kingdom", "Northfield ICB's own servers", "Northfield ICB (NHS commissioner)", "none", "7"),
                List.of("acme-dr", "Disaster-recovery site", "Ireland", "Acme Cloud, Dublin region", "Acme Ltd (private company), a processor", "none",
                        "7")), t.rows());

        FoiAnswers.Answer external = hosting(SITES.subList(1, 2), Hosting.external("jdbc:postgresql://db.example:5432/c"));
        assertTrue(external.statements().contains("None of the declared sites is marked as the primary site."), external.statements().toString());
        assertTrue(external.statements().contains("Custodian cannot check the operator's declaration against what it sees: it knows the database"
                + " server's host name, not which of the declared sites, or which country, that server is in."), external.statements().toString());
    }
}
