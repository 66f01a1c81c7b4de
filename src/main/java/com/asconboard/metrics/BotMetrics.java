package com.asconboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * asc-onboard's own meters, named {@code asconboard_*} in Prometheus. Tags are few and bounded — enums, request
 * kinds, path templates, status codes — never a ticket id, a team, a key or a token. Counters with enum tags
 * exist at zero from the start, so that rates and alerts have a series before the first event.
 */
public final class BotMetrics {
    static final String PREFIX = "asconboard.";
    static final String ENDPOINT_TAG = "endpoint";
    /** Slack answers within 3 s or retries; the buckets show how much of that budget acks use. */
    private static final Duration[] ACK_BUCKETS = {Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
        Duration.ofSeconds(3)};
    private static final Pattern JOB = Pattern.compile("[a-z][a-z0-9_-]{0,39}");
    /** Gauges backed by a database query are read at most this often, however often they are scraped. */
    static final Duration QUERY_EVERY = Duration.ofSeconds(5);

    /** What became of one attempt to post or update a Slack message from the outbox. */
    public enum Delivery { DELIVERED, RETRIED, FAILED }

    /** Apple's verdict on a key: verified, a problem the customer must fix, or no verdict (Apple unreachable). */
    public enum VerificationOutcome { VERIFIED, NOT_VERIFIED, UNREACHABLE }

    public enum CertificateOutcome { CREATED, RENEWED, FAILED }

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<Delivery, Counter> deliveries = new EnumMap<>(Delivery.class);
    private final Map<VerificationOutcome, Counter> verifications = new EnumMap<>(VerificationOutcome.class);
    private final Map<CertificateOutcome, Counter> certificates = new EnumMap<>(CertificateOutcome.class);
    private final Map<UploadOutcome, Counter> uploads = new EnumMap<>(UploadOutcome.class);
    private final Counter roundsOk;
    private final Counter roundsFailed;
    private final Counter accountsChecked;
    private final AtomicLong lastRoundSeconds = new AtomicLong();
    private final AtomicReference<double[]> rateLimit = new AtomicReference<>();

    public BotMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        for (Delivery d : Delivery.values()) {
            deliveries.put(d, Counter.builder(PREFIX + "slack.deliveries").tag("outcome", tag(d))
                    .description("Attempts to post or update a Slack message from the outbox: delivered, failed "
                            + "and to be retried, or given up").register(registry));
        }
        for (VerificationOutcome v : VerificationOutcome.values()) {
            verifications.put(v, Counter.builder(PREFIX + "verifications").tag("outcome", tag(v))
                    .description("Keys checked against App Store Connect, by verdict").register(registry));
        }
        for (CertificateOutcome c : CertificateOutcome.values()) {
            certificates.put(c, Counter.builder(PREFIX + "certificates").tag("result", tag(c))
                    .description("Vendor distribution certificates created, renewed, or failed").register(registry));
        }
        for (UploadOutcome u : UploadOutcome.values()) {
            uploads.put(u, Counter.builder(PREFIX + "uploads").tag("result", tag(u))
                    .description("Key uploads to a secure link, by result").register(registry));
        }
        roundsOk = Counter.builder(PREFIX + "watcher.rounds").tag("outcome", "ok")
                .description("Rounds of checking the onboarded accounts").register(registry);
        roundsFailed = Counter.builder(PREFIX + "watcher.rounds").tag("outcome", "failed")
                .description("Rounds of checking the onboarded accounts").register(registry);
        accountsChecked = Counter.builder(PREFIX + "watcher.accounts.checked")
                .description("Accounts checked by the watcher").register(registry);
        Gauge.builder(PREFIX + "watcher.last.success.timestamp", lastRoundSeconds, AtomicLong::get)
                .baseUnit("seconds").strongReference(true)
                .description("When this instance last completed a round (Unix time; 0 before its first)")
                .register(registry);
        Gauge.builder(PREFIX + "asc.rate.limit.remaining", rateLimit, r -> r.get() == null ? Double.NaN : r.get()[0])
                .strongReference(true)
                .description("Requests left in the hour for the key of the last App Store Connect answer")
                .register(registry);
        Gauge.builder(PREFIX + "asc.rate.limit", rateLimit, r -> r.get() == null ? Double.NaN : r.get()[1])
                .strongReference(true)
                .description("Hourly request limit of the key of the last App Store Connect answer")
                .register(registry);
    }

    /** Times Bolt's handling of each Slack request until its ack: add with {@code app.use(...)}. */
    public SlackRequestTimer slackRequests() {
        return new SlackRequestTimer(this);
    }

    /** Times each App Store Connect request: add to the OkHttp client those calls share. */
    public AscCallTimer ascCalls() {
        return new AscCallTimer(this);
    }

    /** Counts POSTs to upload links by the status they are answered with: add as a filter on {@code /upload/*}. */
    public UploadCounter uploads() {
        return new UploadCounter(this);
    }

    void slackRequest(String kind, String outcome, Duration untilAck) {
        Timer.builder(PREFIX + "slack.requests").tags("kind", kind, "outcome", outcome)
                .description("Slack requests by kind and outcome, timed until acked")
                .serviceLevelObjectives(ACK_BUCKETS)
                .register(registry).record(untilAck);
    }

    void ascCall(String method, String endpoint, String status, Duration took) {
        Timer.builder(PREFIX + "asc.requests").tags("method", method, ENDPOINT_TAG, endpoint, "status", status)
                .description("App Store Connect requests (each attempt) by endpoint and HTTP status; "
                        + "status none: no answer")
                .register(registry).record(took);
    }

    void ascRateLimit(int remaining, int limit) {
        rateLimit.set(new double[] {remaining, limit});
    }

    public void upload(UploadOutcome outcome) {
        uploads.get(outcome).increment();
    }

    public void slackDelivery(Delivery outcome) {
        deliveries.get(outcome).increment();
    }

    public void verification(VerificationOutcome outcome) {
        verifications.get(outcome).increment();
    }

    public void certificate(CertificateOutcome outcome) {
        certificates.get(outcome).increment();
    }

    /** A completed round of the watcher that checked {@code accounts} accounts. */
    public void watcherRound(int accounts) {
        roundsOk.increment();
        accountsChecked.increment(accounts);
        lastRoundSeconds.set(clock.instant().getEpochSecond());
    }

    public void watcherRoundFailed() {
        roundsFailed.increment();
    }

    /**
     * This instance took over work whose lease another instance let expire (it died or stalled). {@code job}
     * names the kind of work ({@code verify}, {@code outbox}, …): lower case, at most 40 characters.
     */
    public void leaseTakenOver(String job) {
        if (job == null || !JOB.matcher(job).matches()) {
            throw new IllegalArgumentException("a job name is lower case letters, digits, - or _ (at most 40), "
                    + "got '" + job + "'");
        }
        Counter.builder(PREFIX + "leases.taken.over").tag("job", job)
                .description("Work taken over from another instance whose lease expired").register(registry)
                .increment();
    }

    /** What the outbox holds: messages not yet delivered, and when the oldest of them was recorded. */
    public record OutboxBacklog(long messages, Instant oldest) {
    }

    /**
     * Publishes the outbox's depth and the age of its oldest message, read from {@code backlog} (a query, run
     * at most every {@link #QUERY_EVERY}); {@code oldest} is null when the outbox is empty.
     */
    public void watchOutbox(Supplier<OutboxBacklog> backlog) {
        Sampled<OutboxBacklog> sampled = new Sampled<>(backlog, clock, QUERY_EVERY);
        Gauge.builder(PREFIX + "outbox.messages", sampled, s -> s.read(b -> (double) b.messages()))
                .strongReference(true).description("Slack messages recorded and not yet delivered")
                .register(registry);
        Gauge.builder(PREFIX + "outbox.oldest.age", sampled, s -> s.read(b -> b.oldest() == null ? 0
                : Math.max(0, Duration.between(b.oldest(), clock.instant()).toMillis() / 1000.0)))
                .baseUnit("seconds").strongReference(true)
                .description("How long the oldest undelivered Slack message has waited (0 when none waits)")
                .register(registry);
    }

    /**
     * Publishes the number of tickets in each lifecycle state, read from {@code countsByState} (a query, run at
     * most every {@link #QUERY_EVERY}); a state the map lacks counts 0.
     */
    public void watchTickets(Collection<String> states, Supplier<? extends Map<String, ? extends Number>> countsByState) {
        Sampled<Map<String, ? extends Number>> sampled = new Sampled<>(countsByState::get, clock, QUERY_EVERY);
        for (String state : states) {
            Gauge.builder(PREFIX + "tickets", sampled, s -> s.read(counts -> {
                Number count = counts.get(state);
                return count == null ? 0 : count.doubleValue();
            })).tag("state", state).strongReference(true).description("Tickets by lifecycle state")
                    .register(registry);
        }
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
