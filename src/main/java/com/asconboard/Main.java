package com.asconboard;

import com.asconboard.cli.ExportApiKey;
import com.asconboard.cli.ExportSigning;
import com.asconboard.cli.Migrate;
import com.asconboard.cli.RotateMasterKey;
import com.asconboard.cli.VerifyCommand;
import com.asconboard.config.InvalidSettingsException;
import com.asconboard.config.Settings;
import com.asconboard.logging.Logging;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/** Entry point: {@code java -jar asc-onboard.jar} serves the bot; the other commands are for operators. */
public final class Main {
    static final int EXIT_USAGE = 2;
    static final String USAGE = "Usage: java -jar asc-onboard.jar [serve | migrate "
            + "| verify --issuer-id I --key-id K --key-file F [--team-id T] "
            + "| export-api-key --ticket ASC-<n> --out FILE [--format fastlane|p8] "
            + "| export-signing --ticket ASC-<n> --out DIR [--password-file F] "
            + "| rotate-master-key [--new-key-file FILE]]";

    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "verify" -> System.exit(VerifyCommand.run(rest, System.getenv(), Clock.systemUTC(), System.out,
                    System.err));
            case "export-api-key" -> System.exit(ExportApiKey.run(rest, System.getenv(), Clock.systemUTC(),
                    ExportApiKey.Who.current(), System.out, System.err));
            case "export-signing" -> System.exit(ExportSigning.run(rest, System.getenv(), Clock.systemUTC(),
                    ExportSigning.console(), System.out, System.err));
            case "rotate-master-key" -> System.exit(RotateMasterKey.run(rest, System.getenv(), System.out,
                    System.err));
            case "migrate" -> System.exit(Migrate.run(rest, System.getenv(), System.out, System.err));
            case "serve" -> serve();
            default -> {
                System.err.println("Unknown command '" + command + "'. " + USAGE);
                System.exit(EXIT_USAGE);
            }
        }
    }

    private static void serve() {
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
        } catch (InvalidSettingsException e) {
            System.err.println("asc-onboard cannot start. " + e.getMessage());
            System.exit(EXIT_USAGE);
            return;
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
