package com.asconboard.asc;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.keys.TestKeys;
import com.asconboard.testing.MutableClock;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.Jwts;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AscTokensTest {
    final KeyPair pair = TestKeys.ecP256();
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    final AscTokens tokens = new AscTokens(new AscCredentials("57246542-96fe-1a63-e053-0824d011072a", "ABC1234567",
            (ECPrivateKey) pair.getPrivate()), clock);

    Jws<Claims> parse(String token) {
        return Jwts.parser().verifyWith(pair.getPublic()).clock(() -> java.util.Date.from(clock.instant())).build()
                .parseSignedClaims(token);
    }

    @Test
    void token_has_the_header_and_claims_apple_requires() {
        Jws<Claims> jws = parse(tokens.token());

        assertThat(jws.getHeader().getAlgorithm()).isEqualTo("ES256");
        assertThat(jws.getHeader().getKeyId()).isEqualTo("ABC1234567");
        assertThat(jws.getHeader().getType()).isEqualTo("JWT");
        Claims claims = jws.getPayload();
        assertThat(claims.getIssuer()).isEqualTo("57246542-96fe-1a63-e053-0824d011072a");
        assertThat(claims.getAudience()).containsExactly("appstoreconnect-v1");
        assertThat(claims.getIssuedAt().toInstant()).isBefore(clock.instant());
        long lifetime = Duration.between(claims.getIssuedAt().toInstant(), claims.getExpiration().toInstant())
                .toSeconds();
        assertThat(lifetime).isLessThanOrEqualTo(1200);
    }

    @Test
    void signature_is_raw_r_and_s_not_der() {
        String signature = tokens.token().split("\\.")[2];
        assertThat(Base64.getUrlDecoder().decode(signature)).hasSize(64);
    }

    @Test
    void one_token_serves_about_fifteen_minutes_then_a_new_one_is_signed() {
        String first = tokens.token();
        clock.advance(Duration.ofMinutes(14));
        assertThat(tokens.token()).isSameAs(first);
        clock.advance(Duration.ofMinutes(1));
        String second = tokens.token();
        assertThat(second).isNotEqualTo(first);
        assertThat(parse(second).getPayload().getExpiration().toInstant()).isAfter(clock.instant()
                .plus(Duration.ofMinutes(10)));
    }

    @Test
    void renew_forces_a_fresh_signature() {
        String first = tokens.token();
        tokens.renew();
        assertThat(tokens.token()).isNotEqualTo(first);
    }

    @Test
    void credentials_never_print_the_key() {
        assertThat(new AscCredentials("i", "k", (ECPrivateKey) pair.getPrivate()).toString())
                .doesNotContain(((ECPrivateKey) pair.getPrivate()).getS().toString());
    }
}
