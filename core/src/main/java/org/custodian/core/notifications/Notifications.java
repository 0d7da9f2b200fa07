package org.custodian.core.notifications;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.custodian.core.registers.Registers;
import org.custodian.core.rules.GovernedRuleSet;

/**
 * The notifications feature of one server process, wired in one place: the {@link Notifier} queuing what
 * patients asked to be told about, and, when a delivery is configured, the loop sending queued e-mail through it.
 * Letter-channel notifications stay queued for the next letter batch ({@link NotificationQueue#takeForLetter}).
 * Every process runs both; the database makes sure only one works on each thing at a time.
 */
public final class Notifications implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Notifications.class.getName());
    /** How often to look for new entries and for e-mail that is due. */
    static final Duration EVERY = Duration.ofSeconds(1);
    private static final int SENDS_PER_PASS = 100;

    private final ScheduledExecutorService scheduler;
    private final Notifier notifier;
    private final NotificationQueue queue;
    private final Optional<NotificationDelivery> delivery;
    private volatile boolean warned;

    private Notifications(Notifier notifier, NotificationQueue queue, Optional<NotificationDelivery> delivery) {
        this.notifier = notifier;
        this.queue = queue;
        this.delivery = delivery;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "custodian-notifications-jobs");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the jobs.
     *
     * @param delivery where e-mail goes; empty: e-mail notifications are queued and wait until a process with a
     *     delivery sends them
     */
    public static Notifications start(DataSource dataSource, Registers registers, Supplier<GovernedRuleSet> rules,
            Optional<NotificationDelivery> delivery, Clock clock) {
        requireNonNull(delivery, "delivery is null");
        Notifications n = new Notifications(new Notifier(dataSource, registers, rules, clock), new NotificationQueue(dataSource, clock), delivery);
        n.scheduler.scheduleWithFixedDelay(n::tick, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return n;
    }

    private void tick() {
        try {
            notifier.catchUp();
            if (delivery.isPresent()) {
                queue.sendDueEmails(delivery.get(), NotificationQueue.Retry.DEFAULT, SENDS_PER_PASS);
            }
            if (warned) {
                warned = false;
                LOG.info("Notifications are being queued and sent again");
            }
        } catch (RuntimeException e) {
            // The database is down or refused: the cursor has not moved, so the next tick does the same work.
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "Cannot queue or send notifications (" + e.getMessage() + "); trying again every second");
            }
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
