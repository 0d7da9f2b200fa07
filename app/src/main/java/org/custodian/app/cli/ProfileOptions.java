package org.custodian.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.custodian.records.validate.HapiProfileValidator;
import org.custodian.records.validate.ProfileValidator;
import picocli.CommandLine.Option;

/**
 * Profile validation of the resources a command writes ({@code serve}, {@code demo}, {@code import}):
 * off unless asked for, since it costs far more than storing a resource. See docs/records.md.
 */
public final class ProfileOptions {
    @Option(names = "--validate-profiles",
            description = "check every resource written against FHIR R4 profiles (its type's base definition, and the profiles it"
                    + " claims in meta.profile) with HAPI FHIR's validator, and refuse it (422) if it is not valid. Off by default:"
                    + " it is slow (tens of resources a second per core)")
    boolean validate;

    @Option(names = "--profiles", paramLabel = "DIR",
            description = "with --validate-profiles: StructureDefinitions, ValueSets and CodeSystems (*.json, searched recursively,"
                    + " e.g. an extracted UK Core package) to validate against as well; a profile a resource claims that is"
                    + " neither among them nor FHIR's own is then an error")
    Path profiles;

    /**
     * The validator asked for: {@link ProfileValidator#off()}, or HAPI FHIR's, built now, so that a
     * directory of profiles that cannot be used stops the command before it starts anything. Nothing of
     * the validator is loaded when it is off.
     */
    public ProfileValidator validator() {
        if (!validate) {
            if (profiles != null) {
                throw new CommandFailure(CommandFailure.USAGE, "--profiles needs --validate-profiles");
            }
            return ProfileValidator.off();
        }
        try {
            return HapiProfileValidator.load(profiles == null ? null : profiles.toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            throw new CommandFailure("--profiles: " + e.getMessage());
        } catch (IOException e) {
            throw new CommandFailure("--profiles: cannot read " + Failures.describe(e));
        }
    }
}
