package org.custodian.app.tlog;

import picocli.CommandLine.Command;

/**
 * The auditor's offline tools: RFC 9162 roots and proofs, C2SP signed notes, and a monitor. They
 * need no server or database, and interoperate with other CT / C2SP implementations byte for byte.
 */
@Command(
        name = "tlog",
        mixinStandardHelpOptions = true,
        description = "Offline transparency-log tools for auditors: roots, proofs, signed notes, monitoring.",
        subcommands = {
            RootCommand.class,
            VerifyInclusionCommand.class,
            VerifyConsistencyCommand.class,
            VerifyNoteCommand.class,
            MonitorCommand.class
        })
public final class TlogCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }
}
