package com.asconboard.jobs;

import com.asconboard.ticket.Jobs;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.serializer.GsonSerializer;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import java.time.Clock;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Queues jobs in db-scheduler's table through a data source that joins the caller's transaction: a job
 * exists exactly when the change that asked for it was committed. Its times are written in UTC, as every
 * timestamp of this project, whatever the JVM's time zone. Each job is keyed by its ticket, so a
 * second request for the same work while one is queued or running is a no-op.
 */
public final class JobQueue implements Jobs {
    static final String VERIFY = "verify";
    static final String CERTIFICATE = "certificate";
    static final String WATCH = "watch";
    static final String REVOKE = "revoke";
    static final String HOUSEKEEPING = "housekeeping";

    /** Who asked for the job, and why (shown in the ticket's thread). */
    record Request(String actor, String why) {
    }

    /** What a watch check leaves for the next: a problem seen once, to confirm before anyone is told. */
    record Watch(String suspect) {
    }

    private final SchedulerClient client;
    private final Clock clock;
    private final ThreadLocal<Boolean> queued = ThreadLocal.withInitial(() -> false);

    /** {@code clock} is the database's: due times are compared by every instance on the same time line. */
    public JobQueue(DataSource joining, Clock clock) {
        this.client = SchedulerClient.Builder.create(joining).serializer(new GsonSerializer()).enablePriority()
                .jdbcCustomization(new AutodetectJdbcCustomization(joining, true)).build();
        this.clock = clock;
    }

    static GsonSerializer serializer() {
        return new GsonSerializer();
    }

    @Override
    public boolean verify(long ticketId, String actor) {
        return queue(VERIFY, ticketId, new Request(actor, ""), clock.instant());
    }

    @Override
    public boolean createCertificate(long ticketId, String actor, String why) {
        return queue(CERTIFICATE, ticketId, new Request(actor, why), clock.instant());
    }

    @Override
    public void revokeCertificates(long ticketId, String actor) {
        queue(REVOKE, ticketId, new Request(actor, ""), clock.instant());
    }

    @Override
    public void watch(long ticketId, Instant at) {
        queue(WATCH, ticketId, new Watch(null), at);
    }

    private boolean queue(String task, long ticketId, Object data, Instant at) {
        boolean added = client.scheduleIfNotExists(new TaskInstance<>(task, Long.toString(ticketId), data), at);
        if (added) {
            queued.set(true);
        }
        return added;
    }

    /** Whether this thread queued a job since the last call: then the local workers are worth waking. */
    public boolean takeQueued() {
        boolean was = queued.get();
        queued.set(false);
        return was;
    }
}
