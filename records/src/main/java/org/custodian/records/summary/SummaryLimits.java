package org.custodian.records.summary;

/**
 * How many lines each section keeps, so that a record of any size gives a page of a readable size and
 * a query of bounded cost. Current conditions and medicines come before past ones, so a limit drops
 * the oldest past ones first.
 *
 * @param results the most recent results (Observations with a value)
 * @param encounters the most recent encounters
 * @param medicines medicines, current first, then the most recently prescribed
 * @param others each of conditions, allergies and immunisations: a safety bound more than a page size
 */
public record SummaryLimits(int results, int encounters, int medicines, int others) {
    /** 20 results, 20 encounters, 50 medicines, 200 of each other section. */
    public static final SummaryLimits DEFAULT = new SummaryLimits(20, 20, 50, 200);
    /** The most any section may ask for: a summary, not an export. */
    public static final int MAX = 1000;

    public SummaryLimits {
        check("results", results);
        check("encounters", encounters);
        check("medicines", medicines);
        check("others", others);
    }

    private static void check(String name, int n) {
        if (n < 1 || n > MAX) {
            throw new IllegalArgumentException(name + " must be between 1 and " + MAX + ", not " + n);
        }
    }
}
