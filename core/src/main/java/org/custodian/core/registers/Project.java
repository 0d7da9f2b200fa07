package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.custodian.core.vocabulary.Codes;
import org.custodian.core.vocabulary.DataForm;
import org.custodian.core.vocabulary.Purpose;

/**
 * A research or planning project: secondary use happens only under one, by its organisation, for its
 * purpose, in at most its data form, while it is approved and within its approval dates.
 *
 * <p>What the public register says about a project is modelled on NHS England's Data Uses Register: who
 * leads it, the public benefit it claims, its ethics approval, its approval dates and what it has
 * published. Those details came after the projects register itself, so each of them may be absent (not
 * stated), and a register file written before them still loads; a serious register states them all.
 *
 * @param approvedFrom first day of the approval (inclusive), or null when not stated; never after
 *     {@code approvedUntil}
 * @param approvedUntil last day of the approval (inclusive)
 * @param ethicsReference the research ethics committee's reference, or null when none was given
 * @param lead who answers for the project in public, or null when not stated
 * @param publicBenefit the public-benefit statement: plain text of at most {@value #MAX_PUBLIC_BENEFIT}
 *     characters, paragraphs separated by line feeds; or null when not stated
 * @param outputs what the project has published, in the register's order (empty when none is listed)
 */
public record Project(String id, String organisation, Purpose purpose, DataForm form, Status status, LocalDate approvedFrom,
        LocalDate approvedUntil, String ethicsReference, Lead lead, String publicBenefit, List<Output> outputs) {

    /** The longest public-benefit statement, in characters (Unicode code points): a statement, not a protocol. */
    public static final int MAX_PUBLIC_BENEFIT = 2000;
    /** The most outputs one project lists, so that a row of the public register stays readable. */
    public static final int MAX_OUTPUTS = 50;

    public enum Status {
        PENDING("pending"),
        APPROVED("approved"),
        SUSPENDED("suspended"),
        ENDED("ended"),
        REFUSED("refused");

        private final String code;

        Status(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        public static Optional<Status> fromCode(String code) {
            return Codes.find(Status.class, Status::code, code);
        }
    }

    /**
     * The person who answers for the project in public, such as its chief investigator or responsible officer,
     * named as the project itself publishes them. Never a patient; and not a link to the register of people,
     * which is private.
     *
     * @param role their role in the project, such as "Chief investigator"
     */
    public record Lead(String name, String role) {
        public Lead {
            requireNonNull(name, "name is null");
            requireNonNull(role, "role is null");
        }
    }

    /**
     * Something the project has published (a paper, a report, aggregate results), and where to read it.
     *
     * @param url an https address (see {@link #urlProblem}), or null when there is none to link to
     */
    public record Output(String title, String url) {
        /** The longest link, in characters. */
        public static final int MAX_URL = 2000;

        public Output {
            requireNonNull(title, "title is null");
            if (url != null) {
                String problem = urlProblem(url);
                if (problem != null) {
                    throw new IllegalArgumentException("output \"" + title + "\": the url " + problem);
                }
            }
        }

        /**
         * Why {@code url} cannot be an output's link, as words following "the url", or null when it can be. The
         * public page links to it, so only an {@code https://} address with a host will do: a {@code javascript:} or
         * {@code data:} link would run in the reader's browser, and over {@code http:} anyone on the way could change
         * what they read. No user name or password (they would be published, and {@code https://nhs.uk@example.com}
         * is a way to disguise a host), and printable ASCII only: other characters are percent-encoded.
         */
        public static String urlProblem(String url) {
            requireNonNull(url, "url is null");
            if (url.length() > MAX_URL) {
                return "is longer than " + MAX_URL + " characters";
            }
            if (url.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                return "must be printable ASCII without spaces (percent-encode any other character)";
            }
            if (!url.startsWith("https://")) {
                return "must be an https:// address, not \"" + url + "\"";
            }
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                return "is not a valid address (" + e.getReason() + "): \"" + url + "\"";
            }
            if (uri.getRawUserInfo() != null) {
                return "must not hold a user name or password: \"" + url + "\"";
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                return "has no host name: \"" + url + "\"";
            }
            return null;
        }
    }

    public Project {
        requireNonNull(id, "id is null");
        requireNonNull(organisation, "organisation is null");
        requireNonNull(purpose, "purpose is null");
        requireNonNull(form, "form is null");
        requireNonNull(status, "status is null");
        requireNonNull(approvedUntil, "approvedUntil is null");
        outputs = List.copyOf(requireNonNull(outputs, "outputs is null"));
        if (approvedFrom != null && approvedFrom.isAfter(approvedUntil)) {
            throw new IllegalArgumentException("project " + id + " is approved from " + approvedFrom + ", after its approval ends ("
                    + approvedUntil + ")");
        }
        if (publicBenefit != null && publicBenefit.codePointCount(0, publicBenefit.length()) > MAX_PUBLIC_BENEFIT) {
            throw new IllegalArgumentException("project " + id + ": the public-benefit statement is longer than " + MAX_PUBLIC_BENEFIT
                    + " characters");
        }
        if (outputs.size() > MAX_OUTPUTS) {
            throw new IllegalArgumentException("project " + id + " lists more than " + MAX_OUTPUTS + " outputs");
        }
    }

    /** Approved and within its approval dates (both inclusive; no start date stated: from any day) on {@code day}. */
    public boolean inForce(LocalDate day) {
        return status == Status.APPROVED && (approvedFrom == null || !day.isBefore(approvedFrom)) && !day.isAfter(approvedUntil);
    }
}
