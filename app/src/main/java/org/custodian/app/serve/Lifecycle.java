package org.custodian.app.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a long-running command alive until Ctrl-C or SIGTERM, then closes its resources in the
 * order given (from the JVM's shutdown hook, so the embedded database is stopped cleanly either way).
 */
public final class Lifecycle {
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    /** Adds a resource; resources close in reverse order of adding. */
    public synchronized <T extends AutoCloseable> T add(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Closes everything added so far (reverse order), reporting but not stopping at failures. */
    public synchronized void closeAll() {
        closing = true;
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                System.err.println("custodian: while stopping: " + e.getMessage());
            }
        }
        resources.clear();
        stopped.countDown();
    }

    /** Blocks until the process is told to stop; the shutdown hook closes everything. */
    public void awaitShutdown() throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!closing) {
                System.err.println("custodian: stopping...");
                closeAll();
                System.err.println("custodian: stopped.");
            }
        }, "custodian-shutdown"));
        stopped.await();
    }
}
