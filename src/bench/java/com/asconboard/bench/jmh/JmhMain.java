package com.asconboard.bench.jmh;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the micro-benchmarks of this package with short settings (1 fork, 3 × 1 s warm-up, 5 × 1 s
 * measurement) and writes JMH's JSON to the file named by the first argument.
 */
public final class JmhMain {
    private JmhMain() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench/jmh.json").toAbsolutePath();
        Files.createDirectories(out.getParent());
        org.openjdk.jmh.Main.main(new String[] {
            "-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s",
            "-rf", "json", "-rff", out.toString(),
            "com\\.asconboard\\.bench\\.jmh\\..*"
        });
    }
}
