package com.asconboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.testing.TestDatabases;
import com.asconboard.ticket.TicketDetails;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Ended links do not pile up forever; a link that still works, or ended recently, stays. */
@ParameterizedClass
@EnumSource(TestDatabases.Kind.class)
class UploadLinkPruningTest {
    @Parameter
    TestDatabases.Kind kind;

    @TempDir
    Path dir;

    Database database;
    JdbcUploadLinkRepository links;
    long ticketId;

    @BeforeEach
    void open() {
        database = Database.open(TestDatabases.fresh(kind, dir), "", "");
        links = new JdbcUploadLinkRepository(database);
        ticketId = database.inTransaction(() -> new JdbcTicketRepository(database).create("T0TEST0001", "C0CHAN0001",
                "U0USER0001", new TicketDetails("Prune Ltd", null, null, null, null), Instant.now())).id();
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void links_that_ended_long_ago_are_deleted_and_others_kept() {
        Instant now = Instant.now();
        long longUsed = links.issue(ticketId, "a".repeat(64), "U0USER0001", now.minus(Duration.ofDays(200)),
                now.minus(Duration.ofDays(197))).id();
        assertThat(links.consume(longUsed, now.minus(Duration.ofDays(199)), "203.0.113.9")).isTrue();
        long longExpired = links.issue(ticketId, "b".repeat(64), "U0USER0001", now.minus(Duration.ofDays(120)),
                now.minus(Duration.ofDays(117))).id();
        links.expireDue(now);
        long recentlyExpired = links.issue(ticketId, "c".repeat(64), "U0USER0001", now.minus(Duration.ofDays(5)),
                now.minus(Duration.ofDays(2))).id();
        links.expireDue(now);
        long active = links.issue(ticketId, "d".repeat(64), "U0USER0001", now, now.plus(Duration.ofDays(3))).id();

        int pruned = links.pruneEndedBefore(now.minus(Duration.ofDays(90)));

        assertThat(pruned).isEqualTo(2);
        assertThat(links.findByTokenHash("a".repeat(64))).isEmpty();
        assertThat(links.findByTokenHash("b".repeat(64))).isEmpty();
        assertThat(links.findByTokenHash("c".repeat(64))).get().extracting(l -> l.id()).isEqualTo(recentlyExpired);
        assertThat(links.findByTokenHash("d".repeat(64))).get().extracting(l -> l.id()).isEqualTo(active);
        assertThat(longExpired).isNotEqualTo(longUsed);
    }
}
