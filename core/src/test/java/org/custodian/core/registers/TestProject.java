package org.custodian.core.registers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;
import org.junit.jupiter.api.Test;

/** A project's own rules: when it is in force, and which of its public details it refuses whoever builds it. */
class TestProject {
    private static final LocalDate FROM = LocalDate.of(2025, 10, 1);
    private static final LocalDate UNTIL = LocalDate.of(2027, 12, 31);

    private static Project project(Project.Status status, LocalDate from) {
        return new Project("p1", "U1", Purpose.HRESCH, DataForm.AGGREGATE, status, from, UNTIL, null, null, null, List.of());
    }

    @Test
    void aProjectIsInForceOnlyWhileApprovedAndWithinBothItsApprovalDates() {
        record Case(Project.Status status, LocalDate from, LocalDate day, boolean inForce) {}
        for (Case c : List.of(
                new Case(Project.Status.APPROVED, FROM, FROM.minusDays(1), false),
                new Case(Project.Status.APPROVED, FROM, FROM, true),
                new Case(Project.Status.APPROVED, FROM, UNTIL, true),
                new Case(Project.Status.APPROVED, FROM, UNTIL.plusDays(1), false),
                // No start stated: in force from any day until its end, as before the start date was recorded.
                new Case(Project.Status.APPROVED, null, LocalDate.of(2000, 1, 1), true),
                new Case(Project.Status.APPROVED, null, UNTIL.plusDays(1), false),
                new Case(Project.Status.PENDING, FROM, FROM, false),
                new Case(Project.Status.SUSPENDED, FROM, FROM.plusDays(10), false),
                new Case(Project.Status.ENDED, null, FROM, false),
                new Case(Project.Status.REFUSED, FROM, FROM, false))) {
            assertEquals(c.inForce(), project(c.status(), c.from()).inForce(c.day()), c.toString());
        }
    }

    @Test
    void anOutputLinkIsPublishedOnlyWhenItIsAnHttpsAddressWithAHost() {
        record Case(String url, String problem) {}
        for (Case c : List.of(
                new Case("https://research.northfield.example/p1/protocol.pdf", null),
                new Case("https://doi.org/10.1136/bmj-2025-081234", null),
                new Case("https://example.org/report?lang=cy&v=2#summary", null),
                new Case("https://example.org:8443/r%C3%A9sum%C3%A9", null),
                new Case("http://example.org/report", "must be an https:// address, not \"http://example.org/report\""),
                new Case("javascript:alert(1)", "must be an https:// address, not \"javascript:alert(1)\""),
                new Case("JavaScript:alert(1)//https://", "must be an https:// address, not \"JavaScript:alert(1)//https://\""),
                new Case("data:text/html;base64,PHNjcmlwdD4=", "must be an https:// address, not \"data:text/html;base64,PHNjcmlwdD4=\""),
                new Case("//example.org/report", "must be an https:// address, not \"//example.org/report\""),
                new Case("/registers/projects", "must be an https:// address, not \"/registers/projects\""),
                new Case("ftp://example.org/", "must be an https:// address, not \"ftp://example.org/\""),
                new Case("https://user:secret@example.org/", "must not hold a user name or password: \"https://user:secret@example.org/\""),
                new Case("https:///path", "has no host name: \"https:///path\""),
                new Case("https://exa mple.org/", "must be printable ASCII without spaces (percent-encode any other character)"),
                new Case("https://example.org/\u00e9", "must be printable ASCII without spaces (percent-encode any other character)"),
                new Case("https://example.org/\n", "must be printable ASCII without spaces (percent-encode any other character)"),
                new Case("https://example.org/" + "a".repeat(Project.Output.MAX_URL), "is longer than 2000 characters"))) {
            assertEquals(c.problem(), Project.Output.urlProblem(c.url()), c.url());
            if (c.problem() != null) {
                assertThrows(IllegalArgumentException.class, () -> new Project.Output("Report", c.url()), c.url());
            }
        }
    }

    @Test
    void theConstructorRefusesWhatTheRegisterFileRefusesWhoeverBuildsTheProject() {
        assertThrows(IllegalArgumentException.class, () -> project(Project.Status.APPROVED, UNTIL.plusDays(1)));
        String longest = "\u00e9".repeat(Project.MAX_PUBLIC_BENEFIT);
        new Project("p1", "U1", Purpose.HRESCH, DataForm.AGGREGATE, Project.Status.APPROVED, UNTIL, UNTIL, null, null, longest, List.of());
        // Characters are counted as people count them: one emoji is one character, not two UTF-16 units.
        new Project("p1", "U1", Purpose.HRESCH, DataForm.AGGREGATE, Project.Status.APPROVED, null, UNTIL, null, null,
                "\uD83D\uDE00".repeat(Project.MAX_PUBLIC_BENEFIT), List.of());
        assertThrows(IllegalArgumentException.class, () -> new Project("p1", "U1", Purpose.HRESCH, DataForm.AGGREGATE,
                Project.Status.APPROVED, null, UNTIL, null, null, longest + "x", List.of()));
        List<Project.Output> tooMany = Collections.nCopies(Project.MAX_OUTPUTS + 1, new Project.Output("Report", null));
        assertThrows(IllegalArgumentException.class, () -> new Project("p1", "U1", Purpose.HRESCH, DataForm.AGGREGATE,
                Project.Status.APPROVED, null, UNTIL, null, null, null, tooMany));
        assertThrows(NullPointerException.class, () -> new Project.Lead("Professor Rhiannon Price", null));
    }
}
