package com.asconboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.SlackRequests;
import com.asconboard.testing.TestBot;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A burst of form submissions larger than the background queue: every one becomes a ticket. */
class BurstTest {
    @TempDir
    Path dir;

    @Test
    void a_burst_beyond_the_queue_loses_no_ticket() throws Exception {
        int submissions = 1_500;
        Map<String, String> env = TestBot.environment(new FakeSlack(), dir);
        try (AscOnboard bot = TestBot.start(env, Clock.systemUTC())) {
            SlackRequests requests = new SlackRequests(bot.port());
            ExecutorService pool = Executors.newFixedThreadPool(32);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < submissions; i++) {
                String customer = "Burst " + i;
                answers.add(pool.submit(() -> requests.submitView("new_onboarding", SlackRequests.CHANNEL,
                        SlackRequests.form(customer, null, null, null, null)).statusCode()));
            }
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(2, TimeUnit.MINUTES)).isEqualTo(200);
            }
            pool.shutdown();

            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            long tickets = 0;
            while (System.nanoTime() < deadline && (tickets = count(env)) < submissions) {
                Thread.sleep(100);
            }
            assertThat(tickets).as("every submission became a ticket").isEqualTo(submissions);
        }
    }

    static long count(Map<String, String> env) throws Exception {
        try (var c = DriverManager.getConnection(env.get("DATABASE_URL"));
                var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM tickets")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
