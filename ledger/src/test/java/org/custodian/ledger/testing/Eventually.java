package org.custodian.ledger.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for something asynchronous (a checkpoint, a takeover) in tests. The timeout only keeps a
 * failing test from hanging; it asserts nothing about speed.
 */
public final class Eventually {
    private Eventually() {}

    public static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
