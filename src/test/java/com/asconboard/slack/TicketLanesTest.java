package com.asconboard.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TicketLanesTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void each_tickets_work_runs_in_the_order_it_was_handed_over() throws Exception {
        TicketLanes lanes = new TicketLanes(pool, 1_000, Duration.ofSeconds(1));
        Map<Long, List<Integer>> ran = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(4 * 200);
        for (int i = 0; i < 200; i++) {
            for (long ticket = 1; ticket <= 4; ticket++) {
                int n = i;
                long t = ticket;
                lanes.execute(ticket, () -> {
                    // Uneven task lengths: a plain pool would let later tasks overtake earlier ones.
                    if (ThreadLocalRandom.current().nextInt(4) == 0) {
                        Thread.onSpinWait();
                        Thread.yield();
                    }
                    ran.computeIfAbsent(t, k -> Collections.synchronizedList(new ArrayList<>())).add(n);
                    done.countDown();
                });
            }
        }
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        for (long ticket = 1; ticket <= 4; ticket++) {
            assertThat(ran.get(ticket)).as("ticket %d", ticket).isSorted().hasSize(200);
        }
        awaitIdle(lanes);
    }

    @Test
    void different_tickets_run_side_by_side() throws Exception {
        TicketLanes lanes = new TicketLanes(pool, 10, Duration.ofSeconds(1));
        CountDownLatch otherRan = new CountDownLatch(1);
        CountDownLatch bothDone = new CountDownLatch(2);
        lanes.execute(1, () -> {
            try {
                // Only returns if ticket 2's work runs while this one is still busy.
                if (otherRan.await(5, TimeUnit.SECONDS)) {
                    bothDone.countDown();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        lanes.execute(2, () -> {
            otherRan.countDown();
            bothDone.countDown();
        });
        assertThat(bothDone.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void a_failing_task_does_not_stop_the_ones_behind_it() throws Exception {
        TicketLanes lanes = new TicketLanes(pool, 10, Duration.ofSeconds(1));
        CountDownLatch release = new CountDownLatch(1);
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        lanes.execute(7, () -> await(release));
        lanes.execute(7, () -> {
            throw new IllegalStateException("boom");
        });
        lanes.execute(7, () -> ran.add("after the failure"));
        lanes.execute(7, () -> {
            throw new AssertionError("an Error, not an exception");
        });
        lanes.execute(7, () -> ran.add("after the error"));
        release.countDown();
        awaitIdle(lanes);
        assertThat(ran).containsExactly("after the failure", "after the error");
    }

    @Test
    void when_the_lanes_are_full_the_caller_waits_for_room_and_order_is_kept() throws Exception {
        TicketLanes lanes = new TicketLanes(pool, 2, Duration.ofSeconds(5));
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        lanes.execute(1, () -> await(release));
        lanes.execute(1, () -> ran.add(1));
        lanes.execute(1, () -> ran.add(2));
        CountDownLatch other = new CountDownLatch(1);
        lanes.execute(2, other::countDown);
        assertThat(other.await(5, TimeUnit.SECONDS)).as("a ticket with nothing waiting still starts").isTrue();

        Thread caller = new Thread(() -> lanes.execute(1, () -> ran.add(3)));
        caller.start();
        caller.join(200);
        assertThat(caller.isAlive()).as("the third waiting task has to wait for room").isTrue();
        release.countDown();
        caller.join(5_000);
        assertThat(caller.isAlive()).isFalse();
        awaitIdle(lanes);
        assertThat(ran).containsExactly(1, 2, 3);
    }

    @Test
    void lanes_that_stay_full_refuse_after_the_longest_wait() throws Exception {
        TicketLanes lanes = new TicketLanes(pool, 1, Duration.ofMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        lanes.execute(1, () -> await(release));
        lanes.execute(1, () -> { });
        long before = System.nanoTime();

        assertThatThrownBy(() -> lanes.execute(1, () -> { }))
                .isInstanceOf(RejectedExecutionException.class)
                .hasMessageContaining("lanes are full (1 waiting tasks)");
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
        release.countDown();
        awaitIdle(lanes);
    }

    @Test
    void a_refusing_executor_leaves_no_lane_behind() throws Exception {
        pool.shutdown();
        TicketLanes lanes = new TicketLanes(pool, 2, Duration.ofSeconds(1));
        assertThatThrownBy(() -> lanes.execute(3, () -> { })).isInstanceOf(RejectedExecutionException.class);
        assertThat(lanes.busy()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitIdle(TicketLanes lanes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lanes.busy() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(lanes.busy()).as("every lane is gone once its work is done").isZero();
    }
}
