package com.asconboard.bench.jmh;

import com.asconboard.asc.AscCredentials;
import com.asconboard.asc.AscTokens;
import com.asconboard.keys.TestKeys;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** ES256 bearer tokens for App Store Connect: a fresh signature, and the cached token reused. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TokenBench {
    private AscTokens tokens;

    @Setup
    public void setUp() {
        ECPrivateKey key = (ECPrivateKey) TestKeys.ecP256().getPrivate();
        tokens = new AscTokens(new AscCredentials("57246542-96fe-1a63-e053-0824d011072a", "ABC1234567", key),
                Clock.systemUTC());
        tokens.token();
    }

    /** {@code renew()} then {@code token()}: builds the claims and signs with ES256 every time. */
    @Benchmark
    public String signCold() {
        tokens.renew();
        return tokens.token();
    }

    /** {@code token()} within the token's lifetime: the cached string. */
    @Benchmark
    public String cacheHit() {
        return tokens.token();
    }
}
