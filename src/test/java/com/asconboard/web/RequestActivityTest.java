package com.asconboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.servlet.ServletException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RequestActivityTest {

    @Test
    void withNoRequestsBackgroundWorkGoesAhead() {
        RequestActivity activity = new RequestActivity(Duration.ofMillis(1), Duration.ofSeconds(30));

        CompletableFuture<Void> step = CompletableFuture.runAsync(activity::awaitQuiet);

        assertThat(step).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void backgroundWorkWaitsWhileARequestIsAnsweredAndGoesOnAfterIt() throws Exception {
        RequestActivity activity = new RequestActivity(Duration.ofMillis(1), Duration.ofSeconds(30));
        activity.begin();

        CompletableFuture<Void> step = CompletableFuture.runAsync(activity::awaitQuiet);

        TimeUnit.MILLISECONDS.sleep(200);
        assertThat(step).as("waiting for the request in flight").isNotDone();
        activity.end();
        assertThat(step).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void manyWaitingThreadsShareOnePollerAndAllGoOnOnceItIsQuiet() throws Exception {
        RequestActivity activity = new RequestActivity(Duration.ofMillis(1), Duration.ofSeconds(30));
        activity.begin();
        List<CompletableFuture<Void>> steps = new ArrayList<>();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            for (int i = 0; i < 8; i++) {
                steps.add(CompletableFuture.runAsync(activity::awaitQuiet, threads));
            }

            TimeUnit.MILLISECONDS.sleep(200);
            assertThat(steps).noneMatch(CompletableFuture::isDone);
            activity.end();
            CompletableFuture<Void> all = CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
            assertThat(all).succeedsWithin(Duration.ofSeconds(10));
        } finally {
            threads.shutdownNow();
        }
        // One poller looks about every millisecond for the 200 ms; eight would look some 1,600 times.
        assertThat(activity.polls()).isBetween(1L, 400L);
    }

    @Test
    void theWaitIsBoundedSoTheBackgroundMovesUnderEndlessLoad() {
        RequestActivity activity = new RequestActivity(Duration.ofMillis(1), Duration.ofMillis(300));
        activity.begin();

        long start = System.nanoTime();
        CompletableFuture<Void> step = CompletableFuture.runAsync(activity::awaitQuiet);

        assertThat(step).succeedsWithin(Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(activity.inFlight()).isOne();
    }

    @Test
    void theFilterCountsEachRequestUntilItIsAnsweredEvenWhenItFails() throws Exception {
        RequestActivity activity = new RequestActivity();
        AtomicInteger seenInside = new AtomicInteger(-1);

        activity.filter().doFilter(null, null, (request, response) -> seenInside.set(activity.inFlight()));
        assertThatThrownBy(() -> activity.filter().doFilter(null, null, (request, response) -> {
            throw new ServletException("servlet failed");
        })).isInstanceOf(ServletException.class);
        assertThatThrownBy(() -> activity.filter().doFilter(null, null, (request, response) -> {
            throw new IOException("client went away");
        })).isInstanceOf(IOException.class);

        assertThat(seenInside).hasValue(1);
        assertThat(activity.inFlight()).isZero();
    }

    @Test
    void anInterruptedWaitEndsAtOnce() {
        RequestActivity activity = new RequestActivity(Duration.ofMillis(1), Duration.ofSeconds(30));
        activity.begin();
        Thread waiting = new Thread(activity::awaitQuiet);
        waiting.start();

        waiting.interrupt();

        assertThat(CompletableFuture.runAsync(() -> {
            try {
                waiting.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })).succeedsWithin(Duration.ofSeconds(10));
    }
}
