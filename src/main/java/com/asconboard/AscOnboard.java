package com.asconboard;

import com.asconboard.asc.AscClient;
import com.asconboard.asc.AscConnector;
import com.asconboard.management.Drain;
import com.asconboard.management.ManagementServer;
import com.asconboard.management.ProbeServlet;
import com.asconboard.management.Readiness;
import com.asconboard.metrics.BotMetrics;
import com.asconboard.metrics.JettyMetrics;
import com.asconboard.metrics.Metrics;
import com.asconboard.metrics.PoolMetrics;
import com.asconboard.certs.CertificateRevocation;
import com.asconboard.certs.CertificateService;
import com.asconboard.certs.Watcher;
import com.asconboard.config.InvalidSettingsException;
import com.asconboard.config.Settings;
import com.asconboard.jobs.JobQueue;
import com.asconboard.jobs.JobTiming;
import com.asconboard.jobs.JobWorkers;
import com.asconboard.keys.KeyVault;
import com.asconboard.keys.MasterKey;
import com.asconboard.keys.SecretBox;
import com.asconboard.slack.SlackApp;
import com.asconboard.slack.SlackNotifier;
import com.asconboard.store.Database;
import com.asconboard.store.DatabaseClock;
import com.asconboard.store.JdbcCertificateRepository;
import com.asconboard.store.JdbcHomeViews;
import com.asconboard.store.JdbcOutbox;
import com.asconboard.store.JdbcSecretStore;
import com.asconboard.store.JdbcTicketRepository;
import com.asconboard.store.JdbcUploadLinkRepository;
import com.asconboard.ticket.Activation;
import com.asconboard.ticket.Fleet;
import com.asconboard.ticket.Lifecycle;
import com.asconboard.ticket.Offboarding;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.Reminders;
import com.asconboard.ticket.OutboxDelivery;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.VerificationService;
import com.asconboard.upload.UploadLinks;
import com.asconboard.upload.UploadServlet;
import com.asconboard.web.WebServer;
import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.function.BooleanSupplier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running bot. Everything it promises is kept in the database: a Slack request is recorded (ticket,
 * audit event, messages to show, jobs to run) before it is acked, and the outbox and the jobs are worked by
 * whichever instance claims them. So any number of instances can share one PostgreSQL, and stopping or
 * killing one loses nothing.
 */
public final class AscOnboard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AscOnboard.class);

    private final Settings settings;
    private final Metrics metrics;
    private final Readiness readiness;
    private final ManagementServer management;
    private final Database database;
    private final ExecutorService slackWork;
    private final WebServer web;
    private final SocketModeApp socketMode;
    private final Watcher watcher;
    private final JobQueue jobQueue;
    private final DatabaseClock databaseClock;
    private final OutboxDelivery delivery;
    private final JobWorkers workers;
    private final Runnable housekeeping;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AscOnboard(Settings settings, Metrics metrics, Readiness readiness, ManagementServer management,
            Database database, ExecutorService slackWork, WebServer web, SocketModeApp socketMode, Watcher watcher,
            JobQueue jobQueue, DatabaseClock databaseClock, OutboxDelivery delivery, JobWorkers workers,
            Runnable housekeeping) {
        this.housekeeping = housekeeping;
        this.jobQueue = jobQueue;
        this.databaseClock = databaseClock;
        this.settings = settings;
        this.metrics = metrics;
        this.readiness = readiness;
        this.management = management;
        this.database = database;
        this.slackWork = slackWork;
        this.web = web;
        this.socketMode = socketMode;
        this.watcher = watcher;
        this.delivery = delivery;
        this.workers = workers;
    }

    public static AscOnboard start(Settings settings, Clock clock) throws Exception {
        return start(settings, clock, JobTiming.fromSystemProperties());
    }

    /** Wires everything from {@code settings} and starts serving. */
    public static AscOnboard start(Settings settings, Clock clock, JobTiming timing) throws Exception {
        SecretBox secrets = secretBox(settings);
        Metrics metrics = Metrics.start();
        BotMetrics meters = new BotMetrics(metrics.registry(), Clock.systemUTC());
        Database database;
        try {
            database = Database.open(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword());
        } catch (RuntimeException e) {
            metrics.close();
            throw e;
        }
        List<AutoCloseable> started = new ArrayList<>();
        try {
            PoolMetrics.bind(database.dataSource(), metrics.registry());
            AtomicBoolean serving = new AtomicBoolean();
            Map<String, BooleanSupplier> checks = new LinkedHashMap<>();
            checks.put("database", database::isHealthy);
            // Checked once: this instance just migrated, and newer migrations another instance applies leave
            // nothing pending that this one knows of.
            boolean migrated = database.migrationsApplied();
            checks.put("migrations", () -> migrated);
            checks.put("started", serving::get);
            Readiness readiness = new Readiness(checks);
            // Early, and closed last: liveness and metrics answer through start-up and the drain.
            ManagementServer management = new ManagementServer(settings.managementBindAddress(),
                    settings.managementPort(), metrics, readiness);
            management.start();
            started.add(management);
            JdbcSecretStore secretStore = new JdbcSecretStore(database);
            refuseUnreadableSecrets(secretStore.countByMasterKey(), secrets);
            if (!database.isPostgres()) {
                // An embedded H2 database has one instance: a job marked running was left by a process now dead.
                JobWorkers.releaseAll(database.dataSource());
            }
            DatabaseClock databaseClock = new DatabaseClock(database);
            Slack slack = SlackApp.client(settings);
            SlackNotifier notifier = new SlackNotifier(SlackApp.methods(slack, settings.slackBotToken()), clock,
                    settings.vendorName());
            JdbcTicketRepository tickets = new JdbcTicketRepository(database);
            JdbcOutbox outbox = new JdbcOutbox(database);
            JobQueue jobs = new JobQueue(database.joiningDataSource(), databaseClock);
            AtomicReference<JobWorkers> workersRef = new AtomicReference<>();
            AtomicReference<UploadLinks> uploadsRef = new AtomicReference<>();
            OutboxDelivery delivery = new OutboxDelivery(outbox, tickets, notifier, database,
                    (ticketId, sealed) -> uploadsRef.get().openSealedLink(ticketId, sealed), databaseClock, 2, meters);
            meters.watchOutbox(() -> new BotMetrics.OutboxBacklog(outbox.pending(), outbox.oldestQueuedAt()));
            meters.watchTickets(java.util.Arrays.stream(Lifecycle.values()).map(Lifecycle::label).toList(),
                    tickets::countByState);
            TicketChanges changes = new TicketChanges(tickets, outbox, database, clock, List.of(delivery::wake, () -> {
                JobWorkers w = workersRef.get();
                if (jobs.takeQueued() && w != null) {
                    w.wake();
                }
            }));
            KeyVault vault = new KeyVault(secretStore, secrets);
            AscConnector connector = new AscConnector(AscClient.defaultHttp().newBuilder()
                    .addInterceptor(meters.ascCalls()).build(), settings.ascApiUrl().toString(), clock,
                    AscClient.Retries.defaults(), d -> Thread.sleep(d.toMillis()));
            VerificationService verifications = new VerificationService(changes, vault, connector, jobs, clock,
                    settings.vendorAppleId(), meters);
            OnboardingService onboarding = new OnboardingService(changes, verifications);
            Offboarding offboarding = new Offboarding(changes, secretStore, jobs, settings.vendorAppleId());
            Activation activation = new Activation(changes, jobs, databaseClock, settings.watchInterval());
            changes.settleWith(activation);
            Reminders reminders = new Reminders(changes, settings.reminderAfter());
            UploadLinks uploads = new UploadLinks(new JdbcUploadLinkRepository(database), changes, secrets, secretStore,
                    verifications, clock, settings.uploadLinkTtl(), settings.publicBase());
            uploadsRef.set(uploads);
            JdbcCertificateRepository certificateStore = new JdbcCertificateRepository(database);
            CertificateService certificates = new CertificateService(certificateStore, changes, vault, secretStore,
                    secrets, connector, jobs, clock, settings.vendorName(), settings.autoCreateCertificate(),
                    settings::isAdmin, meters);
            // An account is watched once it is active (Activation plans its first check).
            verifications.afterVerification(certificates::afterVerification);
            CertificateRevocation revocations = new CertificateRevocation(certificateStore, changes, vault,
                    secretStore, connector, clock);
            Watcher watcher = new Watcher(certificateStore, verifications, certificates, changes, clock, meters,
                    settings.watchInterval());
            ExecutorService slackWork = Executors.newFixedThreadPool(2, daemon("slack-answers"));
            started.add(slackWork::shutdownNow);
            SlackApp.Built built = SlackApp.create(settings, slack, new SlackApp.Services(onboarding, changes, uploads,
                    verifications, certificates, offboarding, new Fleet(tickets, settings.reminderAfter()),
                    new JdbcHomeViews(database)), notifier, slackWork, meters.slackRequests());
            App app = built.app();
            app.start();
            WebServer web = new WebServer(settings, app, ProbeServlet.readiness(readiness));
            web.add("/upload/*", new UploadServlet(uploads, settings.vendorName(), settings.publicBase(), clock));
            web.addFilter("/upload/*", meters.uploads());
            JettyMetrics.instrument(web.jetty(), "public", metrics.registry());
            web.start();
            started.add(web);
            Runnable housekeeping = housekeeping(List.of(
                    uploads::expireDue,
                    uploads::pruneEnded,
                    activation::catchUp,
                    reminders::sendDue,
                    () -> watcher.planMissing(jobs, settings.watchInterval(), databaseClock.instant()),
                    verifications::resumeOrphans,
                    built.home()::refreshDue));
            JobWorkers workers = new JobWorkers(database.dataSource(), database.isPostgres(), databaseClock,
                    settings.instanceId(), timing, new JobWorkers.Handlers(verifications, certificates, watcher,
                            settings.watchInterval(), revocations, housekeeping), meters);
            workersRef.set(workers);
            verifications.resumeOrphans();
            delivery.start();
            started.add(delivery);
            workers.start();
            started.add(workers);
            SocketModeApp socketMode = null;
            if (settings.socketMode()) {
                socketMode = new SocketModeApp(settings.slackAppToken(), app);
                socketMode.startAsync();
            }
            log.info("asc-onboard serving on port {} (Socket Mode {}, {}) with {}", web.port(),
                    settings.socketMode() ? "on" : "off", database.isPostgres() ? "PostgreSQL" : "H2 embedded",
                    settings);
            warnAboutOpenAccess(settings);
            serving.set(true);
            return new AscOnboard(settings, metrics, readiness, management, database, slackWork, web, socketMode,
                    watcher, jobs, databaseClock, delivery, workers, housekeeping);
        } catch (Exception | Error e) {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception ignored) {
                    // closing what had started; the original failure is what matters
                }
            }
            database.close();
            metrics.close();
            throw e;
        }
    }

    /** Slack messages still waiting to be delivered. */
    public int undelivered() {
        return delivery.pending();
    }

    /**
     * Checks every watched account now, through the watch jobs that check it each WATCH_INTERVAL (any instance
     * may run them), and returns once each has run; a problem seen for the first time is confirmed by the
     * next call, as by the next scheduled check. Returns how many checks ran.
     */
    public int watchOnce() {
        watcher.planMissing(jobQueue, settings.watchInterval(), databaseClock.instant());
        return workers.watchNow(Duration.ofMinutes(2));
    }

    /**
     * Runs the housekeeping now, in the caller's thread, as the housekeeping job does each minute: expiring
     * links, activating complete onboardings, sending due reminders, planning watch checks, refreshing Home tabs.
     */
    public void housekeepOnce() {
        housekeeping.run();
    }

    public int port() {
        return web.port();
    }

    /** The periodic steps, each on its own: one failing does not keep the others from running. */
    private static Runnable housekeeping(List<Runnable> steps) {
        return () -> {
            for (Runnable step : steps) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    log.warn("a housekeeping step failed: {}", e.toString());
                }
            }
        };
    }

    /** Whether the instance is draining: /healthz and /readyz answer 503 so the load balancer stops sending. */
    public boolean draining() {
        return readiness.draining();
    }

    /** The port of /metrics, /livez and /readyz. */
    public int managementPort() {
        return management.port();
    }

    /**
     * Stops in order: not ready at once, keeps serving for DRAIN_DELAY while the load balancer notices, stops
     * taking requests (those in flight finish), stops claiming jobs (running ones get a bounded time; the rest
     * stay in the database for another instance), stops delivering (what waits stays in the outbox), then —
     * last — closes the database.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        new Drain(readiness, settings.drainDelay()).run(this::stop);
    }

    private void stop() {
        try {
            if (socketMode != null) {
                socketMode.close();
            }
            web.close();
        } catch (Exception e) {
            log.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
        workers.close();
        delivery.close();
        slackWork.shutdown();
        try {
            slackWork.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        database.close();
        management.close();
        metrics.close();
        log.info("asc-onboard stopped");
    }

    /**
     * Secrets sealed under a key this instance does not hold cannot be read: refuse to start rather than fail
     * at first use (or seal new secrets under a key the other instances lack).
     */
    static void refuseUnreadableSecrets(Map<String, Integer> countsByKey, SecretBox secrets) {
        List<String> problems = new ArrayList<>();
        countsByKey.forEach((keyId, count) -> {
            if (!secrets.opens(keyId)) {
                problems.add("MASTER_KEY does not open " + count + " secret(s) in the database, sealed under master "
                        + "key " + keyId + " (this instance has " + secrets.keyId()
                        + (secrets.previousKeyId() == null ? "" : " and previous " + secrets.previousKeyId())
                        + "). Use the key the other instances use; during a rotation, set the outgoing key as "
                        + "MASTER_KEY_PREVIOUS until rotate-master-key has finished.");
            }
        });
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    private static void warnAboutOpenAccess(Settings settings) {
        if (settings.adminUsers().isEmpty()) {
            log.warn("ADMIN_USERS is not set: every allowed user may create certificates, replace verified keys, "
                    + "offboard accounts and list every channel's tickets{}",
                    settings.allowedUsers().isEmpty() && settings.allowedChannels().isEmpty()
                            ? "; ALLOWED_USERS and ALLOWED_CHANNELS are not set either, so that is every member of "
                                    + "the workspace" : "");
        }
    }

    private static SecretBox secretBox(Settings settings) {
        byte[] key = MasterKey.load(settings).bytes();
        byte[] previous = settings.masterKeyPrevious() == null ? null
                : MasterKey.fromBase64(settings.masterKeyPrevious()).bytes();
        try {
            return new SecretBox(key, previous);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
            if (previous != null) {
                java.util.Arrays.fill(previous, (byte) 0);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
