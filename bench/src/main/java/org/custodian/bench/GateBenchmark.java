package org.custodian.bench;

import java.util.concurrent.TimeUnit;
import org.custodian.core.decisions.AccessRequest;
import org.custodian.core.decisions.Gate;
import org.custodian.core.decisions.Ruling;
import org.custodian.core.rules.GovernedRuleSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One decision of the gate, in process, with the patients' choices cached, against the same rules
 * written as Cedar policies and evaluated by cedar-java, over the same pre-generated mix of requests
 * (see {@link BenchWorld}). Both sides do the same look-ups (relationship, project, cached consent);
 * the Cedar side also builds its entities and context per request, inside the timed method, as an
 * integration must.
 *
 * <p>{@code gate} and {@code cedar} give decisions per second on one thread; {@code gateLatency} and
 * {@code cedarLatency} sample the time of single decisions (p50, p99, p99.9). Run: {@code java -jar bench/target/benchmarks.jar GateBenchmark}.
 */
@State(Scope.Thread)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
public class GateBenchmark {
    private AccessRequest[] requests;
    private int mask;
    private int next;
    private Gate gate;
    private CedarGate cedar;

    @Setup(Level.Trial)
    public void setUp() {
        BenchWorld world = BenchWorld.standard();
        GovernedRuleSet rules = GovernedRuleSet.defaults();
        requests = world.requests;
        mask = requests.length - 1;
        if ((requests.length & mask) != 0) {
            throw new IllegalStateException("the number of requests must be a power of two");
        }
        gate = new Gate(world.registers, world.consents, () -> rules, world.clock);
        cedar = new CedarGate(world.registers, world.consents, world.clock);
        // Warm the consent cache, as a running server's is: every later read is one map lookup.
        for (AccessRequest r : requests) {
            world.consents.current(r.patient());
        }
    }

    /** Decisions per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Ruling gate() {
        return gate.decide(requests[next++ & mask]);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public boolean cedar() {
        return cedar.decide(requests[next++ & mask]);
    }

    /** Time per decision, sampled: p50, p99, p99.9. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Ruling gateLatency() {
        return gate.decide(requests[next++ & mask]);
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public boolean cedarLatency() {
        return cedar.decide(requests[next++ & mask]);
    }
}
