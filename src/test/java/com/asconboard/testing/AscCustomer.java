package com.asconboard.testing;

import com.asconboard.keys.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A customer's App Store Connect account in the fake, as a customer admin would set it up for the vendor: one
 * API key of a chosen role (its {@code .p8} in {@link #pem()}), one distribution certificate, and — unless told
 * otherwise — the vendor user invited with certificate access.
 */
public record AscCustomer(FakeAsc.Account account, String teamId, String teamName, String issuerId, String keyId,
        KeyPair pair) {
    private static final AtomicInteger COUNT = new AtomicInteger();

    /** An account with a key of {@code role}; {@code vendorUser} (may be null) is a member with certificate access. */
    public static AscCustomer create(FakeAsc asc, String teamName, FakeAsc.Role role, String issuerId,
            String vendorUser) {
        int n = COUNT.incrementAndGet();
        String teamId = String.format("CUST%06d", n);
        FakeAsc.Account account = asc.addAccount(teamId, teamName);
        account.addCertificate("Apple Distribution: " + teamName, FakeAsc.CertificateType.DISTRIBUTION,
                Instant.now().plus(Duration.ofDays(300)));
        if (vendorUser != null) {
            account.addUser(vendorUser, "Build", "Bot", List.of(FakeAsc.Role.DEVELOPER,
                    FakeAsc.Role.CLOUD_MANAGED_APP_DISTRIBUTION), true);
        }
        return key(account, teamId, teamName, issuerId, role);
    }

    /** Another key in the same account, as a customer generates one to correct the first. */
    public AscCustomer newKey(FakeAsc.Role role) {
        return key(account, teamId, teamName, issuerId, role);
    }

    private static AscCustomer key(FakeAsc.Account account, String teamId, String teamName, String issuerId,
            FakeAsc.Role role) {
        String keyId = String.format("CKEY%06d", COUNT.incrementAndGet());
        KeyPair pair = TestKeys.ecP256();
        account.addKey(keyId, issuerId, (ECPublicKey) pair.getPublic(), role);
        return new AscCustomer(account, teamId, teamName, issuerId, keyId, pair);
    }

    /** The key file as App Store Connect lets the customer download it. */
    public String pem() {
        return TestKeys.p8Pem(pair);
    }

    public byte[] file() {
        return pem().getBytes(StandardCharsets.UTF_8);
    }

    /** The name App Store Connect gives the file. */
    public String fileName() {
        return "AuthKey_" + keyId + ".p8";
    }
}
