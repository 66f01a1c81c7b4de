package com.asconboard.bench.jmh;

import com.asconboard.keys.ApiKey;
import com.asconboard.keys.ApiKeyFile;
import com.asconboard.keys.InvalidApiKeyException;
import com.asconboard.keys.TestKeys;
import java.nio.charset.StandardCharsets;
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

/** An uploaded {@code AuthKey_<KEYID>.p8} read and validated, including the sign-and-verify self-test. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class KeyFileBench {
    private static final String KEY_ID = "ABC1234567";
    private byte[] p8;

    @Setup
    public void setUp() {
        p8 = TestKeys.p8Pem(TestKeys.ecP256()).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public String parse() throws InvalidApiKeyException {
        ApiKey key = ApiKeyFile.parse(p8, "AuthKey_" + KEY_ID + ".p8", KEY_ID);
        String id = key.keyId();
        key.destroy();
        return id;
    }
}
