package org.custodian.core.decisions;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.custodian.core.vocabulary.SensitiveCategory;

/** What must be done to data before it leaves under a permit. */
public sealed interface Obligation {

    /** The wire form, as in the decision API and the ledger entry. */
    Map<String, Object> toJson();

    /** Leave out everything in these sensitive categories. */
    record WithholdCategories(Set<SensitiveCategory> categories) implements Obligation {
        public WithholdCategories {
            if (categories.isEmpty()) {
                throw new IllegalArgumentException("nothing to withhold");
            }
            categories = Collections.unmodifiableSet(EnumSet.copyOf(categories));
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "withhold-categories");
            m.put("categories", categories.stream().map(SensitiveCategory::code).toList());
            return m;
        }
    }

    /** Replace identifiers with pseudonyms under the project's own key, so that projects cannot link their data. */
    record Pseudonymise(String project) implements Obligation {
        public Pseudonymise {
            requireNonNull(project, "project is null");
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "pseudonymise");
            m.put("project", project);
            return m;
        }
    }

    /**
     * Release only aggregates, with small-number suppression: counts below {@code minimumCount} are
     * redacted and the rest rounded to the nearest {@code roundTo}.
     */
    record Aggregate(int minimumCount, int roundTo) implements Obligation {
        public Aggregate {
            if (minimumCount < 1 || roundTo < 1) {
                throw new IllegalArgumentException("minimumCount and roundTo must be at least 1");
            }
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "aggregate");
            m.put("minimumCount", (long) minimumCount);
            m.put("roundTo", (long) roundTo);
            return m;
        }
    }
}
