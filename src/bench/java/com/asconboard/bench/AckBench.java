package com.asconboard.bench;

import com.asconboard.bench.SlackLoad.Kind;
import com.asconboard.bench.SlackLoad.Run;
import com.asconboard.testing.FakeSlack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Ack latency and throughput of the bot (one child JVM per database) against the bare Bolt app, with the same
 * requests. A fixed warm-up, then every measured round counts: nothing is discarded while the JIT compilers
 * are still at work; instead each round's figures and each JVM's compile time per round are reported, and the
 * first rounds are pooled separately from the rest so that the JIT's share is visible.
 */
final class AckBench {
    static final int ROUNDS = Integer.getInteger("bench.rounds", 6);
    /** Rounds pooled as "early" in the table; the rest as "later". */
    static final int EARLY_ROUNDS = 2;
    static final int N1 = Integer.getInteger("bench.n1", 200);
    static final int N16 = Integer.getInteger("bench.n16", 800);
    static final int WARMUP = Integer.getInteger("bench.warmup", 1000);
    static final int WARMUP_AT_1 = 200;
    static final double P99_TARGET = 1.5;
    static final double THROUGHPUT_TARGET = 0.8;
    static final Kind[] KINDS = {Kind.HELP, Kind.SUBMIT, Kind.CLICK};
    static final Duration RUN_LIMIT = Duration.ofSeconds(120);

    /** Closed loop at a concurrency; the two apps take turns in chunks of this many requests. */
    record Mode(int concurrency, int perRound, int chunk) {
    }

    static final List<Mode> MODES = List.of(new Mode(1, N1, 50), new Mode(16, N16, 200));

    /** A server under test and, for the bot, how the benchmark sees its work after the ack. */
    record App(String name, Child child, boolean bot) {
    }

    private final FakeSlack slack;
    private final SlackLoad load;

    AckBench(FakeSlack slack, SlackLoad load) {
        this.slack = slack;
        this.load = load;
    }

    /** The same number of requests of every kind to every app; JIT time of each app during it. */
    Map<String, Object> warmUp(List<App> apps) {
        SystemBench.log("warm-up: " + WARMUP + " requests of each kind at concurrency 16 and " + WARMUP_AT_1
                + " at 1, to each app");
        Map<String, Object> jit = new LinkedHashMap<>();
        Map<String, Long> before = jitNow(apps);
        long began = System.nanoTime();
        for (Kind kind : KINDS) {
            for (App app : apps) {
                for (int c : new int[] {16, 1}) {
                    Run run = load.run(app.child().port, kind, c == 1 ? WARMUP_AT_1 : WARMUP, c, 0, RUN_LIMIT);
                    if (run.errors() > 0) {
                        throw new IllegalStateException(app.name() + " " + kind + ": " + run.errors()
                                + " failed, first: " + run.firstError());
                    }
                    if (app.bot()) {
                        drain(kind, run.attempted());
                    }
                }
            }
        }
        Map<String, Long> after = jitNow(apps);
        for (App app : apps) {
            jit.put(app.name(), since(before.get(app.name()), after.get(app.name())));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("requests_per_kind_per_app", Map.of("16", WARMUP, "1", WARMUP_AT_1));
        m.put("wall_ms", (System.nanoTime() - began) / 1_000_000);
        m.put("jit_ms", jit);
        return m;
    }

    /**
     * {@link #ROUNDS} rounds of every kind × concurrency. Within a run the apps take turns in chunks, their order
     * rotating chunk by chunk, so that a noisy neighbour hits all alike. After each of a bot's chunks the
     * benchmark waits until its Slack messages have been delivered, so they do not spill into the next app's turn.
     */
    Map<String, Object> measure(List<App> apps, App bare) {
        SystemBench.log("acks: " + ROUNDS + " measured rounds (no round discarded), " + N1 + " requests at 1 and "
                + N16 + " at 16 per kind per app per round");
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        Map<String, Integer> missing = new LinkedHashMap<>();
        Map<String, List<Long>> jitPerRound = new LinkedHashMap<>();
        List<Long> roundMs = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            Map<String, Long> before = jitNow(apps);
            long began = System.nanoTime();
            round(apps, r, runs, missing);
            long wall = (System.nanoTime() - began) / 1_000_000;
            roundMs.add(wall);
            Map<String, Long> after = jitNow(apps);
            StringBuilder line = new StringBuilder("  round " + (r + 1) + ": " + wall + " ms; JIT ms");
            for (App app : apps) {
                long jit = since(before.get(app.name()), after.get(app.name()));
                jitPerRound.computeIfAbsent(app.name(), k -> new ArrayList<>()).add(jit);
                line.append(' ').append(app.name()).append(' ').append(jit);
            }
            SystemBench.log(line.toString());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (App app : apps) {
            if (app == bare) {
                continue;
            }
            for (Kind kind : KINDS) {
                for (Mode mode : MODES) {
                    rows.add(row(app, bare, kind, mode, runs, missing));
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rounds", ROUNDS);
        m.put("early_rounds", EARLY_ROUNDS);
        m.put("round_wall_ms", roundMs);
        m.put("jit_ms_per_round", jitPerRound);
        m.put("rows", rows);
        return m;
    }

    private Map<String, Object> row(App app, App bare, Kind kind, Mode mode, Map<String, List<Run>> runs,
            Map<String, Integer> missing) {
        List<Run> o = runs.get(key(kind, mode, app));
        List<Run> b = runs.get(key(kind, mode, bare));
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("app", app.name());
        row.put("request", kind.label);
        row.put("what", kind.note);
        row.put("concurrency", mode.concurrency());
        Stats os = pooled(o);
        Stats bs = pooled(b);
        row.put("ours", withRate(os, o));
        row.put("bare", withRate(bs, b));
        double p99Ratio = os.p99() / bs.p99();
        double rateRatio = rate(o) / rate(b);
        row.put("ratio_p99", Stats.round(p99Ratio));
        row.put("ratio_throughput", Stats.round(rateRatio));
        row.put("p99_met", p99Ratio <= P99_TARGET);
        row.put("throughput_met", rateRatio >= THROUGHPUT_TARGET);
        int early = Math.min(EARLY_ROUNDS, o.size());
        row.put("early_ratio_p99", Stats.round(pooled(o.subList(0, early)).p99() / pooled(b.subList(0, early)).p99()));
        row.put("later_ratio_p99", o.size() > early ? Stats.round(pooled(o.subList(early, o.size())).p99()
                / pooled(b.subList(early, b.size())).p99()) : Double.NaN);
        row.put("ours_p99_per_round", o.stream().map(r -> Stats.round(Stats.of(r.nanos()).p99())).toList());
        row.put("bare_p99_per_round", b.stream().map(r -> Stats.round(Stats.of(r.nanos()).p99())).toList());
        row.put("ours_per_second_per_round", o.stream().map(r -> Math.round(r.perSecond())).toList());
        row.put("bare_per_second_per_round", b.stream().map(r -> Math.round(r.perSecond())).toList());
        row.put("errors", Map.of("ours", o.stream().mapToInt(Run::errors).sum(),
                "bare", b.stream().mapToInt(Run::errors).sum()));
        row.put("slack_work_missing", missing.getOrDefault(key(kind, mode, app), 0));
        return row;
    }

    /** One round: every kind × mode, the apps taking turns in chunks; adds each app's merged run to {@code runs}. */
    private void round(List<App> apps, int r, Map<String, List<Run>> runs, Map<String, Integer> missing) {
        for (Kind kind : KINDS) {
            for (Mode mode : MODES) {
                Map<App, List<Run>> chunks = new LinkedHashMap<>();
                for (int k = 0, done = 0; done < mode.perRound(); k++, done += mode.chunk()) {
                    int size = Math.min(mode.chunk(), mode.perRound() - done);
                    for (int turn = 0; turn < apps.size(); turn++) {
                        // ABC, BCA, CAB, then reversed: each app goes first, and last, equally often.
                        int shift = r + k + kind.ordinal();
                        int index = (turn + shift) % apps.size();
                        App app = apps.get(shift % 2 == 0 ? index : apps.size() - 1 - index);
                        Run run = load.run(app.child().port, kind, size, mode.concurrency(), 0, RUN_LIMIT);
                        chunks.computeIfAbsent(app, a -> new ArrayList<>()).add(run);
                        if (app.bot()) {
                            missing.merge(key(kind, mode, app), drain(kind, run.attempted()), Integer::sum);
                        }
                    }
                }
                chunks.forEach((app, list) -> runs.computeIfAbsent(key(kind, mode, app), x -> new ArrayList<>())
                        .add(Run.merge(list)));
            }
        }
    }

    private static String key(Kind kind, Mode mode, App app) {
        return kind.name() + "/" + mode.concurrency() + "/" + app.name();
    }

    private static Map<String, Long> jitNow(List<App> apps) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (App app : apps) {
            m.put(app.name(), app.child().jitMillis());
        }
        return m;
    }

    /** JIT milliseconds between two readings, or -1 when either could not be read. */
    private static long since(long before, long after) {
        return before < 0 || after < 0 ? -1 : after - before;
    }

    static Stats pooled(List<Run> runs) {
        return Stats.of(Stats.concat(runs.stream().map(Run::nanos).toList()));
    }

    private static double rate(List<Run> runs) {
        long ok = runs.stream().mapToLong(r -> r.nanos().length).sum();
        long wall = runs.stream().mapToLong(Run::wallNanos).sum();
        return ok / (wall / 1e9);
    }

    static Map<String, Object> withRate(Stats stats, List<Run> runs) {
        Map<String, Object> m = stats.json();
        m.put("per_second", Math.round(rate(runs)));
        return m;
    }

    /**
     * Waits until the bot has delivered the Slack messages of {@code n} requests of {@code kind} (a form: the
     * ticket's status message and its first thread reply; a click: the answer to the clicker), then forgets the
     * recorded calls. Returns how many never showed.
     */
    int drain(Kind kind, int n) {
        if (kind != Kind.SUBMIT && kind != Kind.CLICK) {
            return 0;
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int seen = 0;
        int last = -1;
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < deadline) {
            seen = kind == Kind.SUBMIT ? ticketsShown() : slack.calls("chat.postEphemeral").size();
            if (seen >= n) {
                break;
            }
            if (seen != last) {
                last = seen;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > Duration.ofSeconds(10).toNanos()) {
                break;
            }
            Child.sleepMillis(20);
        }
        slack.reset();
        if (seen < n) {
            SystemBench.log("  " + (n - seen) + " of " + n + " " + kind + " requests left no trace in Slack (see the "
                    + "bot's log)");
        }
        return Math.max(0, n - seen);
    }

    /** Tickets whose status message and first thread reply have both been posted. */
    private int ticketsShown() {
        int status = 0;
        int thread = 0;
        for (FakeSlack.Call call : slack.calls("chat.postMessage")) {
            if (call.param("thread_ts") == null) {
                status++;
            } else if (call.param("text") != null && call.param("text").contains(" opened ASC-")) {
                thread++;
            }
        }
        return Math.min(status, thread);
    }
}
