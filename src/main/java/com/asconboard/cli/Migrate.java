package com.asconboard.cli;

import com.asconboard.config.Settings;
import com.asconboard.store.Database;
import java.io.PrintStream;
import java.util.Map;

/**
 * {@code migrate}: applies the database migrations and exits — a deploy step before new instances start.
 * Serving migrates too; several instances starting at once are safe (Flyway takes a lock).
 */
public final class Migrate {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private Migrate() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length > 0) {
            err.println("migrate takes no arguments (it reads DATABASE_URL, DATABASE_USER and DATABASE_PASSWORD).");
            return USAGE;
        }
        Settings settings;
        try {
            settings = Settings.fromEnvironment(env, Settings.Purpose.CLI);
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            return USAGE;
        }
        try (Database database = Database.open(settings.databaseUrl(), settings.databaseUser(),
                settings.databasePassword())) {
            out.println("The database at " + settings.databaseUrl().replaceAll("password=[^&;]*", "password=****")
                    + " is migrated to the current schema.");
            return OK;
        } catch (RuntimeException e) {
            err.println("Migrating the database failed: " + e.getMessage());
            return FAILED;
        }
    }
}
