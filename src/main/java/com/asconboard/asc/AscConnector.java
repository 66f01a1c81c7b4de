package com.asconboard.asc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * Opens App Store Connect for a key. Token sources are kept per key so that one signature serves
 * all calls for about 15 minutes, across verifications — and, since a token source holds the opened key,
 * for {@link #KEPT} at most: after that the key is opened from its sealed copy again when next needed.
 */
public final class AscConnector {
    private final OkHttpClient http;
    private final String baseUrl;
    private final Clock clock;
    private final AscClient.Retries retries;
    private final AscClient.Sleeper sleeper;
    /** How long an opened key (and the tokens it signs) is kept in memory after it was opened. */
    static final Duration KEPT = Duration.ofMinutes(20);

    private final Cache<String, Cached> tokens;

    private record Cached(AscCredentials credentials, AscTokens tokens) {
    }

    public AscConnector(OkHttpClient http, String baseUrl, Clock clock, AscClient.Retries retries,
            AscClient.Sleeper sleeper) {
        this(http, baseUrl, clock, retries, sleeper, Ticker.systemTicker());
    }

    AscConnector(OkHttpClient http, String baseUrl, Clock clock, AscClient.Retries retries,
            AscClient.Sleeper sleeper, Ticker ticker) {
        this.tokens = Caffeine.newBuilder().expireAfterWrite(KEPT).maximumSize(10_000).ticker(ticker).build();
        this.http = http;
        this.baseUrl = baseUrl;
        this.clock = clock;
        this.retries = retries;
        this.sleeper = sleeper;
    }

    public static AscConnector standard(String baseUrl, Clock clock) {
        return new AscConnector(AscClient.defaultHttp(), baseUrl, clock, AscClient.Retries.defaults(),
                d -> Thread.sleep(d.toMillis()));
    }

    public AppStoreConnect open(AscCredentials credentials) {
        String id = credentials.issuerId() + "/" + credentials.keyId();
        Cached cached = tokens.asMap().compute(id, (key, old) -> old != null
                && old.credentials().privateKey().equals(credentials.privateKey())
                ? old : new Cached(credentials, new AscTokens(credentials, clock)));
        return new AppStoreConnect(new AscClient(http, baseUrl, cached.tokens(), retries, sleeper));
    }

    /** Opened keys still held in memory. */
    long keysHeld() {
        tokens.cleanUp();
        return tokens.estimatedSize();
    }
}
