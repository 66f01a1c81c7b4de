package com.asconboard;

import com.asconboard.cli.ExportSigning;
import com.asconboard.cli.RotateMasterKey;
import com.asconboard.cli.VerifyCommand;
import com.asconboard.config.InvalidSettingsException;
import com.asconboard.config.Settings;
import com.asconboard.logging.Logging;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** Entry point: {@code java -jar asc-onboard.jar} serves the bot. */
public final class Main {
    static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && "verify".equals(args[0])) {
            System.exit(VerifyCommand.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(),
                    Clock.systemUTC(), System.out, System.err));
        }
        if (args.length > 0 && "export-signing".equals(args[0])) {
            System.exit(ExportSigning.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(),
                    Clock.systemUTC(), ExportSigning.console(), System.out, System.err));
        }
        if (args.length > 0 && "rotate-master-key".equals(args[0])) {
            System.exit(RotateMasterKey.run(Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out,
                    System.err));
        }
        if (args.length > 0 && !"serve".equals(args[0])) {
            System.err.println("Unknown command '" + args[0] + "'. Usage: java -jar asc-onboard.jar "
                    + "[serve | verify --issuer-id I --key-id K --key-file F [--team-id T] "
                    + "| export-signing --ticket ASC-<n> --out DIR [--password-file F] "
                    + "| rotate-master-key --new-key-file FILE]");
            System.exit(EXIT_USAGE);
        }
        Settings settings;
        try {
            settings = Settings.fromEnvironment(System.getenv(), Settings.Purpose.SERVE);
        } catch (InvalidSettingsException e) {
            System.err.println("asc-onboard cannot start. " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
        }
        Logging.configure(settings.logFormat(), settings.instanceId());
        AscOnboard bot;
        try {
            bot = AscOnboard.start(settings, Clock.systemUTC());
        } catch (Exception e) {
            System.err.println("asc-onboard could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bot.close();
            stopped.countDown();
        }, "shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
