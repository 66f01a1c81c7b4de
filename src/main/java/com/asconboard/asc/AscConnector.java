package com.asconboard.asc;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.OkHttpClient;

/**
 * Opens App Store Connect for a key. Token sources are kept per key so that one signature serves
 * all calls for about 15 minutes, across verifications.
 */
public final class AscConnector {
    private final OkHttpClient http;
    private final String baseUrl;
    private final Clock clock;
    private final AscClient.Retries retries;
    private final AscClient.Sleeper sleeper;
    private final Map<String, Cached> tokens = new ConcurrentHashMap<>();

    private record Cached(AscCredentials credentials, AscTokens tokens) {
    }

    public AscConnector(OkHttpClient http, String baseUrl, Clock clock, AscClient.Retries retries,
            AscClient.Sleeper sleeper) {
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
        Cached cached = tokens.compute(id, (key, old) -> old != null
                && old.credentials().privateKey().equals(credentials.privateKey())
                ? old : new Cached(credentials, new AscTokens(credentials, clock)));
        return new AppStoreConnect(new AscClient(http, baseUrl, cached.tokens(), retries, sleeper));
    }
}
