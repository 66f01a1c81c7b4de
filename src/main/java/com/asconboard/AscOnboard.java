package com.asconboard;

import com.asconboard.config.Settings;
import com.asconboard.asc.AscConnector;
import com.asconboard.certs.CertificateService;
import com.asconboard.certs.Watcher;
import com.asconboard.keys.KeyVault;
import com.asconboard.keys.MasterKey;
import com.asconboard.keys.SecretBox;
import com.asconboard.slack.SlackApp;
import com.asconboard.slack.SlackNotifier;
import com.asconboard.store.Database;
import com.asconboard.store.JdbcCertificateRepository;
import com.asconboard.store.JdbcOutbox;
import com.asconboard.store.JdbcSecretStore;
import com.asconboard.store.JdbcTicketRepository;
import com.asconboard.store.JdbcUploadLinkRepository;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.OutboxDelivery;
import com.asconboard.ticket.TicketEvent;
import com.asconboard.ticket.VerificationService;
import com.asconboard.upload.UploadLinks;
import com.asconboard.upload.UploadServlet;
import com.asconboard.web.HealthServlet;
import com.asconboard.web.RequestActivity;
import com.asconboard.web.WebServer;
import com.slack.api.Slack;
import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running bot: database, background executor, HTTP server and, when configured, Socket Mode. */
public final class AscOnboard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AscOnboard.class);

    private final Database database;
    private final List<ExecutorService> executors;
    private final ScheduledExecutorService scheduler;
    private final WebServer web;
    private final SocketModeApp socketMode;
    private final Watcher watcher;
    private final OutboxDelivery delivery;

    private AscOnboard(Database database, List<ExecutorService> executors, ScheduledExecutorService scheduler,
            WebServer web,
            SocketModeApp socketMode, Watcher watcher, OutboxDelivery delivery) {
        this.delivery = delivery;
        this.watcher = watcher;
        this.database = database;
        this.executors = executors;
        this.scheduler = scheduler;
        this.web = web;
        this.socketMode = socketMode;
    }

    /** Wires everything from {@code settings} and starts serving. */
    public static AscOnboard start(Settings settings, Clock clock) throws Exception {
        SecretBox secrets = secretBox(MasterKey.load(settings));
        Database database = Database.open(settings.databaseUrl(), settings.databaseUser(), settings.databasePassword());
        JdbcSecretStore secretStore = new JdbcSecretStore(database);
        warnAboutForeignSecrets(secretStore, secrets.keyId());
        // Background work gives way to the requests being answered: Slack's acks come first. The work a
        // request hands over (saving a ticket, a reply) keeps the order of the requests per ticket
        // (see TicketLanes), so two edits of one ticket a moment apart never swap however long they wait.
        RequestActivity activity = new RequestActivity();
        ExecutorService executor = backgroundExecutor("work", activity);
        // Slow App Store Connect work gets its own threads, so Slack answers never queue behind it.
        ExecutorService ascWork = backgroundExecutor("asc", activity);
        // Two threads: a long watch round must not hold up the expiry of upload links.
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "schedule");
            t.setDaemon(true);
            return t;
        });
        try {
            Slack slack = SlackApp.client(settings);
            SlackNotifier notifier = new SlackNotifier(SlackApp.methods(slack, settings.slackBotToken()), clock);
            JdbcTicketRepository tickets = new JdbcTicketRepository(database);
            // Delivery is paced by the wall clock: retries are about Slack's time, not the tickets'.
            JdbcOutbox outbox = new JdbcOutbox(database);
            OutboxDelivery delivery = new OutboxDelivery(outbox, tickets, notifier, database, activity,
                    Clock.systemUTC());
            OnboardingService onboarding = new OnboardingService(tickets, outbox, database, delivery::wake, clock);
            AscConnector connector = AscConnector.standard(settings.ascApiUrl().toString(), clock);
            KeyVault vault = new KeyVault(secretStore, secrets);
            VerificationService verifications = new VerificationService(tickets, onboarding, vault, connector,
                    ascWork, clock, settings.vendorAppleId());
            UploadLinks uploads = new UploadLinks(new JdbcUploadLinkRepository(database), onboarding, secrets, clock,
                    settings.uploadLinkTtl(), settings.publicBase(),
                    id -> verifications.startIfReady(id, TicketEvent.CUSTOMER));
            JdbcCertificateRepository certificateStore = new JdbcCertificateRepository(database);
            CertificateService certificates = new CertificateService(certificateStore, onboarding, vault, secrets,
                    connector, ascWork, clock, settings.vendorName(), settings.autoCreateCertificate());
            verifications.afterVerification(certificates::afterVerification);
            Watcher watcher = new Watcher(certificateStore, verifications, certificates, onboarding, clock, 4);
            App app = SlackApp.create(settings, slack, onboarding, uploads, verifications, certificates, notifier,
                    executor);
            // Checks the bot token now (auth.test) rather than on the first request, which would pay for it.
            app.start();
            WebServer web = new WebServer(settings, app, new HealthServlet(database), activity);
            web.add("/upload/*", new UploadServlet(uploads, settings.vendorName(), settings.publicBase(), clock));
            web.start();
            // Fixed delay and a catch-all: one failing sweep never ends the schedule.
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    uploads.expireDue();
                } catch (RuntimeException e) {
                    log.warn("expiring upload links failed: {}", e.getMessage());
                }
            }, 1, 1, TimeUnit.MINUTES);
            long watchEvery = settings.watchInterval().toMillis();
            scheduler.scheduleWithFixedDelay(() -> {
                try {
                    watcher.runOnce();
                } catch (RuntimeException e) {
                    log.warn("watching accounts failed: {}", e.toString());
                }
            }, watchEvery, watchEvery, TimeUnit.MILLISECONDS);
            SocketModeApp socketMode = null;
            if (settings.socketMode()) {
                socketMode = new SocketModeApp(settings.slackAppToken(), app);
                socketMode.startAsync();
            }
            delivery.start();
            verifications.resumeInterrupted();
            log.info("asc-onboard serving on port {} (Socket Mode {}) with {}", web.port(),
                    settings.socketMode() ? "on" : "off", settings);
            return new AscOnboard(database, List.of(executor, ascWork), scheduler, web, socketMode, watcher, delivery);
        } catch (Exception e) {
            scheduler.shutdownNow();
            ascWork.shutdownNow();
            executor.shutdownNow();
            database.close();
            throw e;
        }
    }

    /** Slack messages still waiting to be delivered. */
    public int undelivered() {
        return delivery.pending();
    }

    /** Checks every onboarded account now, as the schedule does every WATCH_INTERVAL; returns how many. */
    public int watchOnce() {
        return watcher.runOnce();
    }

    public int port() {
        return web.port();
    }

    /** Stops taking requests, lets running work finish (bounded), then closes the database. */
    @Override
    public void close() {
        try {
            if (socketMode != null) {
                socketMode.close();
            }
            web.close();
        } catch (Exception e) {
            log.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
        scheduler.shutdownNow();
        watcher.close();
        executors.forEach(ExecutorService::shutdown);
        try {
            for (ExecutorService executor : executors) {
                if (!executor.awaitTermination(20, TimeUnit.SECONDS)) {
                    log.warn("background work still running after 20 s; stopping it");
                    executor.shutdownNow();
                }
            }
        } catch (InterruptedException e) {
            executors.forEach(ExecutorService::shutdownNow);
            Thread.currentThread().interrupt();
        }
        // Delivery stops last; whatever is still waiting stays in the outbox for the next start.
        delivery.close();
        database.close();
        log.info("asc-onboard stopped");
    }

    /** Secrets sealed under another master key cannot be read: say so at start, not at first use. */
    private static void warnAboutForeignSecrets(JdbcSecretStore store, String currentKeyId) {
        store.countByMasterKey().forEach((keyId, count) -> {
            if (!keyId.equals(currentKeyId)) {
                log.error("{} secret(s) are sealed under master key {}, but this server has master key {}: they "
                        + "cannot be read. Restore the previous key or finish rotate-master-key.", count, keyId,
                        currentKeyId);
            }
        });
    }

    private static SecretBox secretBox(MasterKey masterKey) {
        byte[] key = masterKey.bytes();
        try {
            return new SecretBox(key);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * Four threads and a bounded queue, and lossless: when the queue is full the request's own thread
     * runs the task at once, so an overload slows answers down instead of dropping what was asked for.
     * On the pool's threads each task first gives way to the requests in flight.
     */
    private static ExecutorService backgroundExecutor(String name, RequestActivity foreground) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1_000), r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy()) {
            @Override
            protected void beforeExecute(Thread worker, Runnable task) {
                // Only on the pool's threads: a task the caller runs must not wait for its own request.
                foreground.awaitQuiet();
            }
        };
    }
}
