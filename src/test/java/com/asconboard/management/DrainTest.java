package com.asconboard.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.metrics.Metrics;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM's order seen from outside, against a public server built like the bot's (Jetty with a graceful
 * handler): ready → not ready while still serving → new connections refused while a request in flight
 * finishes → stopped.
 */
class DrainTest {
    private static final long WAIT_SECONDS = 30;

    private final Metrics metrics = Metrics.start();
    private final Readiness readiness = new Readiness(Map.of("database", () -> true));
    private final ManagementServer management = new ManagementServer("127.0.0.1", 0, metrics, readiness);
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private final Server publicServer = new Server();
    private final ServerConnector publicConnector = new ServerConnector(publicServer);
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        slowRelease.countDown();
        publicServer.stop();
        management.close();
        metrics.close();
    }

    @Test
    void drain_turns_not_ready_keeps_serving_then_finishes_the_request_in_flight_and_stops() throws Exception {
        startPublicServer();
        management.start();
        assertThat(get(management.port(), "/readyz").statusCode()).isEqualTo(200);
        events.add("ready");
        // Read now: once the connector closes, Jetty no longer reports the port it had.
        int publicPort = publicConnector.getLocalPort();
        CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                request(publicConnector.getLocalPort(), "/slow"), HttpResponse.BodyHandlers.ofString());
        assertThat(slowEntered.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        CountDownLatch delayStarted = new CountDownLatch(1);
        CountDownLatch delayOver = new CountDownLatch(1);
        Drain drain = new Drain(readiness, Duration.ofSeconds(5), delay -> {
            events.add("delay " + delay);
            delayStarted.countDown();
            delayOver.await(WAIT_SECONDS, TimeUnit.SECONDS);
        });
        Thread sigterm = new Thread(() -> drain.run(() -> {
            try {
                publicServer.stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            events.add("stopped");
        }));
        sigterm.start();

        assertThat(delayStarted.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(get(management.port(), "/readyz").statusCode()).isEqualTo(503);
        events.add("not ready");
        assertThat(get(publicConnector.getLocalPort(), "/fast").statusCode()).isEqualTo(200);
        events.add("still serving");

        delayOver.countDown();
        awaitRefused(publicPort);
        events.add("new connections refused");
        assertThat(inFlight).isNotDone();
        slowRelease.countDown();
        HttpResponse<String> finished = inFlight.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("slow done");
        sigterm.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));

        assertThat(events).containsExactly("ready", "delay PT5S", "not ready", "still serving",
                "new connections refused", "in-flight finished", "stopped");
        assertThat(get(management.port(), "/livez").statusCode()).isEqualTo(200);
    }

    private void startPublicServer() throws Exception {
        publicConnector.setHost("127.0.0.1");
        publicServer.addConnector(publicConnector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                if (req.getRequestURI().equals("/slow")) {
                    slowEntered.countDown();
                    try {
                        slowRelease.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                resp.getWriter().write(req.getRequestURI().substring(1) + " done");
                if (req.getRequestURI().equals("/slow")) {
                    // Recorded by the server as the request completes: the client may hear of it only after the
                    // server has stopped.
                    resp.flushBuffer();
                    events.add("in-flight finished");
                }
            }
        }), "/*");
        publicServer.setHandler(new GracefulHandler(context));
        publicServer.setStopTimeout(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        publicServer.start();
    }

    /** Waits (bounded) until a fresh connection to {@code port} is refused. */
    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            } catch (IOException refused) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the public port still accepts connections");
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        // A client of its own each time: a pooled keep-alive connection would hide whether new ones are taken.
        return HttpClient.newHttpClient().send(request(port, path), HttpResponse.BodyHandlers.ofString());
    }
}
