package org.custodian.core.registers;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.custodian.core.vocabulary.Codes;

/**
 * One place where this deployment's data is hosted, as its operator declares it in the register file: what the
 * site is for, the country it is in and who runs the machines. Custodian cannot see any of this for itself (a
 * process knows a directory or a database host, not a country or a contract), so the register records the
 * operator's word, each change in the ledger, and the FOI answers quote it as the operator's declaration.
 *
 * @param country a country's plain name, e.g. "United Kingdom"
 * @param provider who runs the machines, in words: "Northfield City Council data centre", or a cloud company's name
 *     and region
 * @param organisation the provider's id in the organisations register, or null when it is not registered there; a
 *     private company hosting the data acts as a processor for the deployment's controller
 * @param description plain text, at most {@link #MAX_DESCRIPTION} characters, or null
 */
public record HostingSite(String id, SiteRole role, String country, String provider, String organisation, String description) {
    public static final int MAX_DESCRIPTION = 1000;
    public static final int MAX_COUNTRY = 100;

    /** What a site is for. */
    public enum SiteRole {
        PRIMARY("primary", "primary site"),
        BACKUP("backup", "backup site"),
        DISASTER_RECOVERY("disaster-recovery", "disaster-recovery site");

        private final String code;
        private final String words;

        SiteRole(String code, String words) {
            this.code = code;
            this.words = words;
        }

        /** The register file's code, e.g. {@code disaster-recovery}. */
        public String code() {
            return code;
        }

        public String words() {
            return words;
        }

        public static Optional<SiteRole> fromCode(String code) {
            return Codes.find(SiteRole.class, SiteRole::code, code);
        }
    }

    public HostingSite {
        requireNonNull(id, "id is null");
        requireNonNull(role, "role is null");
        requireNonNull(country, "country is null");
        requireNonNull(provider, "provider is null");
        if (country.isBlank() || provider.isBlank()) {
            throw new IllegalArgumentException("hosting site " + id + ": country and provider must not be empty");
        }
        if (description != null && description.codePointCount(0, description.length()) > MAX_DESCRIPTION) {
            throw new IllegalArgumentException("hosting site " + id + ": description longer than " + MAX_DESCRIPTION + " characters");
        }
    }
}
