package org.custodian.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load over loopback: {@code clients} threads, each with its own keep-alive connection, sending
 * requests back to back for a warm-up and then a measured period, with every answer checked. Failures (a refused
 * connection, an answer the check rejects) are counted, warm-up included, and never timed.
 */
final class LoopbackLoad {
    private final int port;
    private final int clients;
    private final int seconds;

    LoopbackLoad(int port, int clients, int seconds) {
        if (clients < 1 || seconds < 1) {
            throw new IllegalArgumentException("need at least one client and one second");
        }
        this.port = port;
        this.clients = clients;
        this.seconds = seconds;
    }

    /** The {@code k}th request a client sends (see {@link #client(RequestFor, Check, int)}). */
    interface RequestFor {
        byte[] request(int k);
    }

    /** Whether an answer is what the benchmark asked for. */
    interface Check {
        boolean ok(HttpConnection.Response r);
    }

    /** One client's loop: its latencies (measured period only); failures counted throughout. */
    interface Client {
        Latencies loop(int client, AtomicBoolean measuring, AtomicBoolean stop, AtomicLong failures) throws Exception;
    }

    record Result(Latencies latencies, double seconds, long failures) {}

    int clients() {
        return clients;
    }

    /** {@code GET path} with no credentials, answered 200 and passing {@code check}. */
    Client get(String path, Check check) {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return client(k -> request, r -> r.status() == 200 && check.ok(r), 1);
    }

    /**
     * Client c sends request c * share, c * share + 1, ... c * share + share - 1, round again: with share
     * sessions per client, every session is used and no two clients share one.
     */
    Client client(RequestFor request, Check check, int share) {
        return (client, measuring, stop, failures) -> {
            Latencies l = new Latencies();
            HttpConnection connection = null;
            for (long n = 0; !stop.get(); n++) {
                byte[] bytes = request.request((int) (client * (long) share + n % share));
                long t0 = System.nanoTime();
                HttpConnection.Response r;
                try {
                    if (connection == null) {
                        connection = new HttpConnection("127.0.0.1", port);
                    }
                    r = connection.exchange(bytes);
                } catch (IOException e) {
                    failures.incrementAndGet();
                    if (connection != null) {
                        connection.close();
                    }
                    connection = null;
                    continue;
                }
                if (!check.ok(r)) {
                    failures.incrementAndGet();
                    continue;
                }
                if (measuring.get()) {
                    l.add(System.nanoTime() - t0);
                }
            }
            if (connection != null) {
                connection.close();
            }
            return l;
        };
    }

    /** Runs {@code client} on every client thread: warm-up, then the measured seconds; prints one line of figures and one of costs. */
    Result run(String name, CpuMeter cpu, int warmupSeconds, Client client) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong failures = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Latencies>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int id = c;
            futures.add(pool.submit(() -> client.loop(id, measuring, stop, failures)));
        }
        Thread.sleep(warmupSeconds * 1000L);
        CpuMeter.Sample before = cpu.sample();
        measuring.set(true);
        long started = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - started) / 1e9;
        CpuMeter.Sample after = cpu.sample();
        stop.set(true);
        Latencies all = new Latencies();
        for (Future<Latencies> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        Result r = new Result(all, elapsed, failures.get()); // warm-up included: any failure matters
        System.out.printf("   %-50s %,7.0f requests/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %7.2f ms  failures %d%n", name,
                all.count() / elapsed, all.percentileMillis(50), all.percentileMillis(95), all.percentileMillis(99), all.percentileMillis(100),
                r.failures());
        System.out.printf("   %-50s %s; %d s after %d s of warm-up; load average %s%n", "",
                CpuMeter.perOperation(before, after, Math.max(1, all.count()), "request"), seconds, warmupSeconds, FhirBench.load());
        return r;
    }
}
