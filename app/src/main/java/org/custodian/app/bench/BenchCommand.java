package org.custodian.app.bench;

import picocli.CommandLine.Command;

/** {@code custodian bench}: performance figures, printed, against a real embedded PostgreSQL. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures (see docs/benchmarks.md).",
        subcommands = {LedgerBench.class, DecisionBench.class, FhirBench.class, ActivityBench.class, AuditBench.class,
            StatisticsBench.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
