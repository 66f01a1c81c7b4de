package com.asconboard.jobs;

import com.asconboard.certs.CertificateRevocation;
import com.asconboard.certs.CertificateService;
import com.asconboard.certs.Watcher;
import com.asconboard.jobs.JobQueue.Request;
import com.asconboard.logging.LogContext;
import com.asconboard.metrics.BotMetrics;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Priority;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.asconboard.ticket.VerificationService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's share of the jobs: db-scheduler claims due jobs from the shared table (on PostgreSQL with
 * {@code FOR UPDATE SKIP LOCKED}), renews the lease of those running here, and revives on another instance the
 * jobs of an instance that stopped renewing them. Verifications and certificates come before watch checks.
 */
public final class JobWorkers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JobWorkers.class);
    /** How often the housekeeping job runs (on one instance at a time). */
    static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(1);

    private final Scheduler scheduler;
    private final DataSource dataSource;

    /** The work each job does. */
    public record Handlers(VerificationService verifications, CertificateService certificates, Watcher watcher,
            Duration watchInterval, CertificateRevocation revocations, Runnable housekeeping) {
    }

    /**
     * {@code lockAndFetch}: claim due jobs in one {@code UPDATE … FOR UPDATE SKIP LOCKED} statement (PostgreSQL);
     * otherwise each job is claimed by an optimistic versioned update (H2, one instance).
     */
    public JobWorkers(DataSource dataSource, boolean lockAndFetch, Clock databaseClock, String instanceId,
            JobTiming timing, Handlers handlers, BotMetrics metrics) {
        this.dataSource = dataSource;
        var builder = Scheduler.create(dataSource, tasks(handlers, databaseClock))
                .addSchedulerListener(new AbstractSchedulerListener() {
                    @Override
                    public void onExecutionDead(Execution execution) {
                        // Another instance stopped renewing this job's lease: it runs again here.
                        log.info("taking over {} of ticket {} from an instance that stopped", execution.taskInstance
                                .getTaskName(), execution.taskInstance.getId());
                        metrics.leaseTakenOver(execution.taskInstance.getTaskName());
                    }
                })
                .schedulerName(new SchedulerName.Fixed(instanceId))
                .jdbcCustomization(new AutodetectJdbcCustomization(dataSource, true))
                .serializer(JobQueue.serializer())
                .enablePriority()
                .threads(timing.threads())
                .pollingInterval(timing.poll())
                .heartbeatInterval(timing.heartbeat())
                .missedHeartbeatsLimit(timing.missedHeartbeats())
                .clock(databaseClock::instant)
                .shutdownMaxWait(Duration.ofSeconds(20));
        if (lockAndFetch) {
            builder.pollUsingLockAndFetch(0.5, 1.0);
        }
        this.scheduler = builder.build();
    }

    private static List<Task<?>> tasks(Handlers h, Clock clock) {
        Task<Request> verify = Tasks.custom(JobQueue.VERIFY, Request.class)
                .defaultPriority(Priority.HIGH)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(10)))
                .execute((instance, context) -> {
                    long ticketId = Long.parseLong(instance.getId());
                    boolean again;
                    try (LogContext ticket = LogContext.forTicket(ticketId)) {
                        again = h.verifications().run(ticketId, instance.getData().actor());
                    }
                    return again ? (complete, ops) -> ops.reschedule(complete, clock.instant())
                            : new CompletionHandler.OnCompleteRemove<>();
                });
        Task<Request> certificate = Tasks.oneTime(JobQueue.CERTIFICATE, Request.class)
                .defaultPriority(Priority.HIGH)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofSeconds(30)))
                .execute((instance, context) -> {
                    long ticketId = Long.parseLong(instance.getId());
                    try (LogContext ticket = LogContext.forTicket(ticketId)) {
                        h.certificates().run(ticketId, instance.getData().actor(), instance.getData().why());
                    }
                });
        Task<JobQueue.Watch> watch = Tasks.custom(JobQueue.WATCH, JobQueue.Watch.class)
                .defaultPriority(Priority.LOW)
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofMinutes(5)))
                .execute((instance, context) -> {
                    long ticketId = Long.parseLong(instance.getId());
                    String suspect = instance.getData() == null ? null : instance.getData().suspect();
                    java.util.Optional<Watcher.Next> next;
                    try (LogContext ticket = LogContext.forTicket(ticketId)) {
                        next = h.watcher().check(ticketId, suspect);
                    }
                    return next.isEmpty() ? new CompletionHandler.OnCompleteRemove<>()
                            : (complete, ops) -> ops.reschedule(complete, clock.instant().plus(next.get().after()),
                                    new JobQueue.Watch(next.get().suspect()));
                });
        Task<Request> revoke = Tasks.custom(JobQueue.REVOKE, Request.class)
                .defaultPriority(Priority.HIGH)
                .onFailure(new FailureHandler.ExponentialBackoffFailureHandler<>(Duration.ofMinutes(1)))
                .execute((instance, context) -> {
                    long ticketId = Long.parseLong(instance.getId());
                    try (LogContext ticket = LogContext.forTicket(ticketId)) {
                        // Apple unreachable: TryAgain fails this try, and the backoff plans the next one.
                        h.revocations().run(ticketId, instance.getData().actor(),
                                context.getExecution().consecutiveFailures);
                    }
                    return new CompletionHandler.OnCompleteRemove<>();
                });
        Task<Void> housekeeping = Tasks.recurring(JobQueue.HOUSEKEEPING, FixedDelay.of(HOUSEKEEPING_EVERY))
                .execute((instance, context) -> {
                    try {
                        h.housekeeping().run();
                    } catch (RuntimeException e) {
                        log.warn("housekeeping failed: {}", e.toString());
                    }
                });
        return List.of(verify, certificate, watch, revoke, housekeeping);
    }

    /**
     * Marks every job as not running. Only for a database one instance uses (embedded H2): there, a job still
     * marked running at start-up was left by a process that died, and need not wait for its lease to run out.
     */
    public static void releaseAll(DataSource dataSource) {
        try (var connection = dataSource.getConnection();
                var statement = connection.prepareStatement("UPDATE scheduled_tasks SET picked = FALSE, "
                        + "picked_by = NULL, last_heartbeat = NULL WHERE picked = TRUE")) {
            int released = statement.executeUpdate();
            if (released > 0) {
                log.info("{} job(s) left running by the previous run will run again", released);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot release the jobs of the previous run: " + e.getMessage(), e);
        }
    }

    /**
     * Makes every planned watch check due now and waits (up to {@code timeout}) until each has run once and
     * planned its next: "check every account now", through the same jobs that check them every interval.
     * Returns how many checks ran.
     */
    public int watchNow(Duration timeout) {
        String dueNow = "UPDATE scheduled_tasks SET execution_time = CURRENT_TIMESTAMP WHERE task_name = '"
                + JobQueue.WATCH + "' AND picked = FALSE";
        String stillDue = "SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = '" + JobQueue.WATCH
                + "' AND (execution_time <= ? OR picked = TRUE)";
        try (var connection = dataSource.getConnection()) {
            int due;
            java.sql.Timestamp marker;
            try (var statement = connection.createStatement()) {
                due = statement.executeUpdate(dueNow);
                try (var rs = statement.executeQuery("SELECT CURRENT_TIMESTAMP")) {
                    rs.next();
                    marker = rs.getTimestamp(1);
                }
            }
            wake();
            long deadline = System.nanoTime() + timeout.toNanos();
            try (var statement = connection.prepareStatement(stillDue)) {
                statement.setTimestamp(1, marker);
                while (System.nanoTime() < deadline) {
                    try (var rs = statement.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) == 0) {
                            return due;
                        }
                    }
                    Thread.sleep(20);
                }
            }
            throw new IllegalStateException("the watch checks did not all run within " + timeout);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot make the watch checks due: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the watch checks", e);
        }
    }

    public void start() {
        scheduler.start();
    }

    /** A job was queued here: look for due jobs now rather than at the next poll. */
    public void wake() {
        scheduler.triggerCheckForDueExecutions();
    }

    /** Stops claiming jobs; those running get a bounded time to finish, the rest go to other instances. */
    @Override
    public void close() {
        scheduler.stop();
    }
}
