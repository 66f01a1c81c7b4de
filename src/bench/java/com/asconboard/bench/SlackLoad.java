package com.asconboard.bench;

import com.asconboard.testing.SlackRequests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.ConnectionPool;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends signed Slack requests to a server under test and times each one from the moment the request
 * is handed to the HTTP client until the whole ack has been read. The payloads are those of
 * {@link SlackRequests} (same fields, same form values); they are built and signed before the clock
 * starts, so only the HTTP exchange and the server's work are timed.
 */
final class SlackLoad implements AutoCloseable {
    static final int MAX_CONCURRENCY = 16;
    static final String ISSUER = "57246542-96fe-1a63-e053-0824d011072a";

    /** What is sent. */
    enum Kind {
        HELP("/asc-onboard help", "slash command, answered in the ack"),
        SUBMIT("view_submission new_onboarding", "valid form; the ticket recorded before the ack"),
        CLICK("block_actions ticket_create_certificate", "button on a ticket; its answer recorded before the ack"),
        LIST("/asc-onboard list", "slash command, reads the database before the ack");

        final String label;
        final String note;

        Kind(String label, String note) {
            this.label = label;
            this.note = note;
        }
    }

    /** One timed run: latencies of the successful requests, failures, and wall time. */
    record Run(Kind kind, int concurrency, long[] nanos, int attempted, int errors, String firstError, long wallNanos) {
        double perSecond() {
            return nanos.length / (wallNanos / 1e9);
        }

        /** Several runs of the same kind and concurrency as one. */
        static Run merge(List<Run> runs) {
            long[] all = Stats.concat(runs.stream().map(Run::nanos).toList());
            String first = runs.stream().map(Run::firstError).filter(e -> e != null).findFirst().orElse(null);
            return new Run(runs.get(0).kind(), runs.get(0).concurrency(), all,
                    runs.stream().mapToInt(Run::attempted).sum(), runs.stream().mapToInt(Run::errors).sum(), first,
                    runs.stream().mapToLong(Run::wallNanos).sum());
        }
    }

    private static final MediaType FORM = MediaType.get("application/x-www-form-urlencoded");

    private final OkHttpClient http = new OkHttpClient.Builder()
            .protocols(List.of(Protocol.HTTP_1_1))
            .connectionPool(new ConnectionPool(2 * MAX_CONCURRENCY, 5, TimeUnit.MINUTES))
            .connectTimeout(Duration.ofSeconds(5))
            .readTimeout(Duration.ofSeconds(10))
            .callTimeout(Duration.ofSeconds(10))
            .retryOnConnectionFailure(false)
            .build();
    private final ExecutorService workers = Executors.newFixedThreadPool(MAX_CONCURRENCY, r -> {
        Thread t = new Thread(r, "load");
        t.setDaemon(true);
        return t;
    });
    private final ThreadLocal<Mac> macs = ThreadLocal.withInitial(SlackLoad::mac);
    private final AtomicLong sequence = new AtomicLong();
    /** Per server port: the tickets (number, status message ts) whose buttons the clicks press, in turn. */
    private final Map<Integer, List<String[]>> clickTargets = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The tickets whose status messages the button clicks on {@code port} come from, taken in turn: at
     * concurrency 16, sixteen people clicking sixteen tickets, not one ticket's row lock taken sixteen times.
     */
    void clickOn(int port, List<String[]> tickets) {
        clickTargets.put(port, List.copyOf(tickets));
    }

    /**
     * Sends {@code n} requests of {@code kind} from {@code concurrency} threads, each sending its next
     * request as soon as the previous ack is read, or {@code pauseMs} later. Stops early at {@code limit}.
     */
    Run run(int port, Kind kind, int n, int concurrency, int pauseMs, Duration limit) {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new IllegalArgumentException("concurrency 1.." + MAX_CONCURRENCY);
        }
        String url = "http://127.0.0.1:" + port + "/slack/events";
        long[] nanos = new long[n];
        long pauses = (long) pauseMs * ((n + concurrency - 1) / concurrency) * 1_000_000L;
        Arrays.fill(nanos, -1);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch go = new CountDownLatch(1);
        long deadline = System.nanoTime() + limit.toNanos();
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            threads.add(workers.submit(() -> {
                go.await();
                while (System.nanoTime() < deadline) {
                    int i = next.getAndIncrement();
                    if (i >= n) {
                        break;
                    }
                    Request request = signed(url, body(kind, port));
                    long start = System.nanoTime();
                    String problem;
                    try (Response response = http.newCall(request).execute()) {
                        String answer = response.body() == null ? "" : response.body().string();
                        long took = System.nanoTime() - start;
                        problem = check(kind, response.code(), answer);
                        if (problem == null) {
                            nanos[i] = took;
                        }
                    } catch (IOException e) {
                        problem = e.toString();
                    }
                    if (problem != null) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, problem);
                    }
                    if (pauseMs > 0) {
                        Thread.sleep(pauseMs);
                    }
                }
                return null;
            }));
        }
        long began = System.nanoTime();
        go.countDown();
        for (Future<?> thread : threads) {
            try {
                thread.get(Math.max(1, deadline - System.nanoTime()) + TimeUnit.SECONDS.toNanos(30),
                        TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                thread.cancel(true);
            } catch (Exception e) {
                throw new IllegalStateException("load thread failed", e);
            }
        }
        // Throughput counts the time the server was asked to work, not the pauses.
        long wall = Math.max(1, System.nanoTime() - began - pauses);
        long[] ok = Arrays.stream(nanos).filter(v -> v >= 0).toArray();
        return new Run(kind, concurrency, ok, Math.min(n, next.get()), errors.get(), firstError.get(), wall);
    }

    /** One request of {@code kind}; returns the ack's body. */
    String once(int port, Kind kind) {
        try (Response response = http.newCall(signed("http://127.0.0.1:" + port + "/slack/events", body(kind, port)))
                .execute()) {
            String answer = response.body() == null ? "" : response.body().string();
            String problem = check(kind, response.code(), answer);
            if (problem != null) {
                throw new IllegalStateException(kind + ": " + problem);
            }
            return answer;
        } catch (IOException e) {
            throw new IllegalStateException(kind + " failed", e);
        }
    }

    private static String check(Kind kind, int status, String answer) {
        if (status != 200) {
            return "HTTP " + status + " " + shorten(answer);
        }
        return switch (kind) {
            case HELP, LIST -> answer.contains("asc-onboard") ? null : "unexpected ack " + shorten(answer);
            case SUBMIT -> answer.contains("\"errors\"") ? "form refused: " + shorten(answer) : null;
            case CLICK -> null;
        };
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "…" : text;
    }

    private Request signed(String url, String body) {
        long timestamp = Instant.now().getEpochSecond();
        Mac mac = macs.get();
        String signature = "v0=" + HexFormat.of().formatHex(
                mac.doFinal(("v0:" + timestamp + ":" + body).getBytes(StandardCharsets.UTF_8)));
        return new Request.Builder().url(url)
                .header("X-Slack-Request-Timestamp", Long.toString(timestamp))
                .header("X-Slack-Signature", signature)
                .post(RequestBody.create(body.getBytes(StandardCharsets.UTF_8), FORM))
                .build();
    }

    private static Mac mac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SlackRequests.SIGNING_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- payloads, as SlackRequests builds them

    String body(Kind kind, int port) {
        long n = sequence.incrementAndGet();
        return switch (kind) {
            case HELP -> command("help", n);
            case LIST -> command("list", n);
            case SUBMIT -> submission(n);
            case CLICK -> click(n, port);
        };
    }

    private static String command(String text, long n) {
        return SlackRequests.commandBody(text, SlackRequests.USER, SlackRequests.CHANNEL);
    }

    private static String submission(long n) {
        return SlackRequests.viewSubmissionBody("new_onboarding", SlackRequests.CHANNEL, SlackRequests.form(
                "Bench Customer " + n, "Bench Team", "A1B2C3D4E5", ISSUER, "ABC1234567"), SlackRequests.USER);
    }

    private String click(long n, int port) {
        List<String[]> targets = clickTargets.getOrDefault(port, List.<String[]>of(new String[] {"1",
                "1700000000.000001"}));
        String[] ticket = targets.get((int) (n % targets.size()));
        return SlackRequests.clickBody("ticket_create_certificate", ticket[0], ticket[1], SlackRequests.USER,
                SlackRequests.CHANNEL);
    }

    @Override
    public void close() {
        workers.shutdownNow();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
