package com.asconboard.bench.jmh;

import com.asconboard.keys.Sealed;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretBox;
import com.asconboard.keys.TestKeys;
import java.security.SecureRandom;
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

/** AES-256-GCM sealing of a stored .p8 (its PKCS#8 DER, as the upload path seals it) and opening it again. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SecretBoxBench {
    private SecretBox box;
    private byte[] pkcs8;
    private byte[] aad;
    private Sealed sealed;

    @Setup
    public void setUp() {
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        box = new SecretBox(master);
        pkcs8 = TestKeys.applePkcs8(TestKeys.ecP256());
        aad = SecretBox.aadFor(42, "p8");
        sealed = box.seal(pkcs8, aad);
    }

    @Benchmark
    public Sealed seal() {
        return box.seal(pkcs8, aad);
    }

    @Benchmark
    public byte[] open() throws SealedDataException {
        return box.open(sealed, aad);
    }
}
