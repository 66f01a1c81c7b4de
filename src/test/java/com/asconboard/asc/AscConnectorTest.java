package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.keys.TestKeys;
import java.security.interfaces.ECPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Opened keys are kept for token reuse, but not for the life of the process. */
class AscConnectorTest {
    @Test
    void an_opened_key_is_forgotten_twenty_minutes_after_it_was_opened() {
        AtomicLong nanos = new AtomicLong();
        AscConnector connector = new AscConnector(AscClient.defaultHttp(), "https://127.0.0.1:1", Clock.systemUTC(),
                AscClient.Retries.defaults(), d -> { }, nanos::get);
        ECPrivateKey key = (ECPrivateKey) TestKeys.ecP256().getPrivate();

        connector.open(new AscCredentials("57246542-96fe-1a63-e053-0824d011072a", "ABC1234567", key));
        connector.open(new AscCredentials("57246542-96fe-1a63-e053-0824d011072a", "ABC1234567", key));
        assertThat(connector.keysHeld()).isOne();

        nanos.addAndGet(AscConnector.KEPT.minusSeconds(1).toNanos());
        assertThat(connector.keysHeld()).isOne();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(connector.keysHeld()).isZero();
    }
}
