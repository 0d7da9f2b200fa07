package org.custodian.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: {@code clients} clients, each sending requests back to back (one in flight) for a warm-up and
 * then a measured period, with every answer checked. Failures (a refused connection, an answer the check rejects) are
 * counted, warm-up included, and never timed. Every benchmark that drives the server over loopback uses this.
 *
 * <p>Over HTTP, each client keeps its own keep-alive connection and writes each request in one write, as curl and most
 * HTTP libraries do. (The JDK's HttpClient writes headers and body apart, which with Nagle's algorithm and delayed ACKs
 * adds tens of milliseconds per request and measured the client, not the server.) The clients run either on a thread
 * each, blocking on their sockets, or multiplexed on a few threads ({@link #multiplexed}, see {@link MultiplexedClients}).
 */
final class LoopbackLoad {
    private final int port;
    private final int clients;
    private final int seconds;
    private final int clientThreads;

    /** {@code clients} clients on a thread each. */
    LoopbackLoad(int port, int clients, int seconds) {
        this(port, clients, seconds, 0);
    }

    private LoopbackLoad(int port, int clients, int seconds, int clientThreads) {
        if (clients < 1 || seconds < 1 || clientThreads < 0) {
            throw new IllegalArgumentException("need at least one client and one second");
        }
        this.port = port;
        this.clients = clients;
        this.seconds = seconds;
        this.clientThreads = Math.min(clientThreads, clients);
    }

    /** The same clients over HTTP, multiplexed on {@code threads} threads (0: a thread each); other loads keep a thread each. */
    LoopbackLoad multiplexed(int threads) {
        return new LoopbackLoad(port, clients, seconds, threads);
    }

    /** How the clients are run, for the benchmarks' descriptions. */
    String clientsRun() {
        return clientsRun(clients, clientThreads);
    }

    /** {@code clients} clients multiplexed on {@code threads} threads (0: a thread each), in words. */
    static String clientsRun(int clients, int threads) {
        int t = Math.min(threads, clients);
        return t == 0 ? clients + " clients, a thread each" : clients + " clients multiplexed on " + t + (t == 1 ? " thread" : " threads");
    }

    /** What a benchmark runs: requests over HTTP, or a loop of its own on a thread per client. */
    sealed interface Load permits Http, Loop {}

    /** The {@code n}th request client {@code client} sends; {@code random} is the client's own, seeded by its number. */
    interface Requests {
        byte[] next(int client, long n, SplittableRandom random);
    }

    /** Whether an answer is what the benchmark asked for. */
    interface Check {
        boolean ok(HttpConnection.Response r);
    }

    /** Requests over HTTP and what makes their answers right. */
    record Http(Requests requests, Check check) implements Load {}

    /** One client's own loop (for work that is not HTTP, such as a baseline in-process): its latencies while measuring. */
    non-sealed interface Loop extends Load {
        Latencies loop(int client, AtomicBoolean measuring, AtomicBoolean stop, AtomicLong failures) throws Exception;
    }

    record Result(Latencies latencies, double seconds, long failures, String cpu) {}

    static SplittableRandom randomFor(int client) {
        return new SplittableRandom(client * 7919L + 17);
    }

    /** {@code GET path} with no credentials, answered 200 and passing {@code check}. */
    Http get(String path, Check check) {
        byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        return new Http((client, n, random) -> request, r -> r.status() == 200 && check.ok(r));
    }

    /**
     * Client c sends {@code request(c * share)}, {@code request(c * share + 1)}, ... {@code request(c * share + share - 1)},
     * round again: with share sessions per client, every session is used and no two clients share one.
     */
    static Http shared(java.util.function.IntFunction<byte[]> request, Check check, int share) {
        return new Http((client, n, random) -> request.apply((int) (client * (long) share + n % share)), check);
    }

    /** Runs the load: warm-up, then the measured seconds; prints one line of figures and one of costs. */
    Result run(String name, CpuMeter cpu, int warmupSeconds, Load load) throws Exception {
        Result r = measure(cpu, warmupSeconds, load);
        Latencies all = r.latencies();
        System.out.printf("   %-50s %,7.0f requests/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %7.2f ms  failures %d%n", name,
                all.count() / r.seconds(), all.percentileMillis(50), all.percentileMillis(95), all.percentileMillis(99),
                all.percentileMillis(100), r.failures());
        System.out.printf("   %-50s %s; %d s after %d s of warm-up; load average %s%n", "", r.cpu(), seconds, warmupSeconds, FhirBench.load());
        return r;
    }

    /** Runs the load: warm-up, then the measured seconds, printing nothing. */
    Result measure(CpuMeter cpu, int warmupSeconds, Load load) throws Exception {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong failures = new AtomicLong();
        List<java.util.concurrent.Callable<Latencies>> parts = parts(load, measuring, stop, failures);
        ExecutorService pool = Executors.newFixedThreadPool(parts.size());
        List<Future<Latencies>> futures = new ArrayList<>();
        for (java.util.concurrent.Callable<Latencies> part : parts) {
            futures.add(pool.submit(part));
        }
        try {
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
            // Warm-up included: any failure matters.
            return new Result(all, elapsed, failures.get(), CpuMeter.perOperation(before, after, Math.max(1, all.count()), "request"));
        } finally {
            stop.set(true);
            pool.shutdown();
        }
    }

    private List<java.util.concurrent.Callable<Latencies>> parts(Load load, AtomicBoolean measuring, AtomicBoolean stop, AtomicLong failures) {
        List<java.util.concurrent.Callable<Latencies>> parts = new ArrayList<>();
        if (load instanceof Http http && clientThreads > 0) {
            MultiplexedClients multiplexed = new MultiplexedClients(port, http);
            for (int t = 0; t < clientThreads; t++) {
                int first = t * clients / clientThreads;
                int count = (t + 1) * clients / clientThreads - first;
                parts.add(() -> multiplexed.run(first, count, measuring, stop, failures));
            }
            return parts;
        }
        Loop loop = load instanceof Http http ? blocking(http) : (Loop) load;
        for (int c = 0; c < clients; c++) {
            int client = c;
            parts.add(() -> loop.loop(client, measuring, stop, failures));
        }
        return parts;
    }

    /** A client on a thread of its own, blocking on its connection. */
    private Loop blocking(Http http) {
        return (client, measuring, stop, failures) -> {
            Latencies l = new Latencies();
            SplittableRandom random = randomFor(client);
            HttpConnection connection = null;
            for (long n = 0; !stop.get(); n++) {
                byte[] bytes = http.requests().next(client, n, random);
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
                if (!http.check().ok(r)) {
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
}
