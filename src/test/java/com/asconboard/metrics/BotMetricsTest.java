package com.asconboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The rules that keep asc-onboard's own meters cheap, bounded and honest. */
class BotMetricsTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final BotMetrics metrics = new BotMetrics(registry, clock);

    @Test
    void app_store_connect_paths_become_templates_without_ids_or_queries() {
        assertThat(AscEndpoint.template("/v1/certificates?filter[certificateType]=DISTRIBUTION&limit=200"))
                .isEqualTo("/v1/certificates");
        assertThat(AscEndpoint.template("/v1/certificates/8X2Q9A7ZKD")).isEqualTo("/v1/certificates/{id}");
        assertThat(AscEndpoint.template("/v1/users/6b2c1f0e-1c6d-4bd8-9a42-3f0c2a1e9d11"))
                .isEqualTo("/v1/users/{id}");
        assertThat(AscEndpoint.template("/v1/apps/1234567890/relationships/builds"))
                .isEqualTo("/v1/apps/{id}/relationships/builds");
        assertThat(AscEndpoint.template("/v2/bundleIds")).isEqualTo("/v2/bundleIds");
        assertThat(AscEndpoint.template("")).isEqualTo("/");
    }

    @Test
    void counters_with_enum_tags_exist_at_zero_before_the_first_event() {
        for (UploadOutcome outcome : UploadOutcome.values()) {
            assertThat(registry.get("asconboard.uploads").tag("result", outcome.name().toLowerCase()).counter()
                    .count()).isZero();
        }
        assertThat(registry.get("asconboard.verifications").tag("outcome", "unreachable").counter().count()).isZero();
        assertThat(registry.get("asconboard.watcher.rounds").tag("outcome", "failed").counter().count()).isZero();
    }

    @Test
    void every_status_of_the_upload_contract_has_its_own_outcome_and_anything_else_is_an_error() {
        assertThat(List.of(200, 400, 403, 404, 409, 410, 413, 429).stream().map(UploadOutcome::of).distinct())
                .hasSize(8).doesNotContain(UploadOutcome.ERROR);
        assertThat(UploadOutcome.of(500)).isEqualTo(UploadOutcome.ERROR);
        assertThat(UploadOutcome.of(302)).isEqualTo(UploadOutcome.ERROR);
    }

    @Test
    void outbox_age_follows_the_clock_and_is_zero_when_nothing_waits() {
        AtomicReference<BotMetrics.OutboxBacklog> backlog = new AtomicReference<>(
                new BotMetrics.OutboxBacklog(2, clock.instant().minusSeconds(30)));
        metrics.watchOutbox(backlog::get);

        assertThat(gauge("asconboard.outbox.oldest.age")).isEqualTo(30);
        assertThat(gauge("asconboard.outbox.messages")).isEqualTo(2);

        clock.advance(Duration.ofSeconds(90));
        assertThat(gauge("asconboard.outbox.oldest.age")).isEqualTo(120);

        backlog.set(new BotMetrics.OutboxBacklog(0, null));
        clock.advance(BotMetrics.QUERY_EVERY);
        assertThat(gauge("asconboard.outbox.oldest.age")).isZero();
        assertThat(gauge("asconboard.outbox.messages")).isZero();
    }

    @Test
    void gauges_backed_by_a_query_run_it_once_per_interval_however_many_read_them() {
        AtomicInteger queries = new AtomicInteger();
        metrics.watchTickets(List.of("onboarding", "active", "offboarded"), () -> {
            queries.incrementAndGet();
            return Map.of("onboarding", 3L, "active", 7L);
        });

        assertThat(registry.get("asconboard.tickets").tag("state", "onboarding").gauge().value()).isEqualTo(3);
        assertThat(registry.get("asconboard.tickets").tag("state", "active").gauge().value()).isEqualTo(7);
        assertThat(registry.get("asconboard.tickets").tag("state", "offboarded").gauge().value()).isZero();
        assertThat(queries).hasValue(1);

        clock.advance(BotMetrics.QUERY_EVERY);
        registry.get("asconboard.tickets").tag("state", "active").gauge().value();
        assertThat(queries).hasValue(2);
    }

    @Test
    void a_failing_query_reads_as_no_data_rather_than_a_wrong_number() {
        metrics.watchOutbox(() -> {
            throw new IllegalStateException("database is down");
        });

        assertThat(gauge("asconboard.outbox.messages")).isNaN();
    }

    @Test
    void the_watcher_records_rounds_accounts_and_when_it_last_succeeded() {
        assertThat(gauge("asconboard.watcher.last.success.timestamp")).isZero();

        metrics.watcherRound(12);
        metrics.watcherRoundFailed();

        assertThat(gauge("asconboard.watcher.last.success.timestamp")).isEqualTo(clock.instant().getEpochSecond());
        assertThat(registry.get("asconboard.watcher.accounts.checked").counter().count()).isEqualTo(12);
        assertThat(registry.get("asconboard.watcher.rounds").tag("outcome", "failed").counter().count()).isOne();
    }

    @Test
    void a_lease_job_name_must_be_a_short_lower_case_word() {
        metrics.leaseTakenOver("outbox");
        assertThat(registry.get("asconboard.leases.taken.over").tag("job", "outbox").counter().count()).isOne();

        assertThatThrownBy(() -> metrics.leaseTakenOver("ASC-12")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lower case");
        assertThatThrownBy(() -> metrics.leaseTakenOver(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_rate_limit_gauges_have_no_value_before_apple_has_answered() {
        assertThat(gauge("asconboard.asc.rate.limit.remaining")).isNaN();

        metrics.ascRateLimit(3400, 3600);

        assertThat(gauge("asconboard.asc.rate.limit.remaining")).isEqualTo(3400);
        assertThat(gauge("asconboard.asc.rate.limit")).isEqualTo(3600);
    }

    @Test
    void endpoints_beyond_the_bound_are_dropped_rather_than_grow_the_series() {
        try (Metrics bounded = Metrics.start()) {
            BotMetrics own = new BotMetrics(bounded.registry(), clock);
            for (int i = 0; i < Metrics.MAX_TAG_VALUES + 20; i++) {
                own.ascCall("GET", "/v1/resource" + (char) ('a' + i % 26) + i, "200", Duration.ofMillis(5));
            }
            assertThat(bounded.registry().find("asconboard.asc.requests").timers()).hasSize(Metrics.MAX_TAG_VALUES);
        }
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
