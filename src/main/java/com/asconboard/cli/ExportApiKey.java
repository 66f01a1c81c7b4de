package com.asconboard.cli;

import com.asconboard.config.Settings;
import com.asconboard.keys.KeyVault;
import com.asconboard.keys.MasterKey;
import com.asconboard.keys.Sealed;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretBox;
import com.asconboard.store.Database;
import com.asconboard.store.JdbcOutbox;
import com.asconboard.store.JdbcSecretStore;
import com.asconboard.store.JdbcTicketRepository;
import com.asconboard.ticket.Lifecycle;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.TicketEvent;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code export-api-key --ticket ASC-<n> --out FILE [--format fastlane|p8]}: writes a customer's App Store Connect
 * API key for the vendor's release pipeline — fastlane's API-key JSON ({@code key_id}, {@code issuer_id},
 * {@code key} as PEM, {@code in_house}) or the {@code .p8} itself ({@code AuthKey_<KEYID>.p8} when {@code --out}
 * is a folder) — with mode 0600, never through a symbolic link. Only a key Apple verified, of an account not
 * offboarded. The export is recorded, with the operating-system user and host, in the ticket's thread (through
 * the outbox: a running bot posts it). Exit 0 written, 1 refused, 2 usage or input error.
 */
public final class ExportApiKey {
    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    static final String USAGE_TEXT = "Usage: java -jar asc-onboard.jar export-api-key --ticket ASC-<n> --out FILE "
            + "[--format fastlane|p8]";

    /** What is written: fastlane's API-key JSON, or Apple's .p8 file. */
    enum Format {
        FASTLANE("fastlane API-key JSON", ".json"), P8(".p8 file", ".p8");

        final String words;
        final String extension;

        Format(String words, String extension) {
            this.words = words;
            this.extension = extension;
        }
    }

    /** Who asks for the export: recorded in the ticket's thread. */
    public record Who(String user, String host) {
        /** The operating-system user running the command, and this machine's name. */
        public static Who current() {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
            }
            return new Who(System.getProperty("user.name", "unknown"), host);
        }

        String describe() {
            return "operating-system user " + clean(user) + " on host " + clean(host);
        }

        /** Names as the thread shows them: no markup, no line breaks, bounded. */
        private static String clean(String name) {
            String kept = name == null ? "" : name.replaceAll("[^A-Za-z0-9._@-]", "");
            kept = kept.length() > 64 ? kept.substring(0, 64) : kept;
            return kept.isEmpty() ? "unknown" : kept;
        }
    }

    /** A refusal: exit 1 with this message. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    private ExportApiKey() {
    }

    public static int run(String[] args, Map<String, String> env, Clock clock, Who who, PrintStream out,
            PrintStream err) {
        String ticketArg = null;
        Path outArg = null;
        String formatArg = "fastlane";
        for (int i = 0; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            switch (args[i]) {
                case "--ticket" -> ticketArg = hasValue ? args[++i] : null;
                case "--out" -> outArg = hasValue ? Path.of(args[++i]) : null;
                case "--format" -> formatArg = hasValue ? args[++i] : null;
                default -> {
                    err.println("Unknown argument '" + args[i] + "'.\n" + USAGE_TEXT);
                    return USAGE;
                }
            }
        }
        long ticketId = Ticket.parseKey(ticketArg);
        if (ticketId < 0 || outArg == null) {
            err.println((ticketId < 0 ? "Give the ticket as --ticket ASC-<n>." : "Give the file to write as --out FILE.")
                    + "\n" + USAGE_TEXT);
            return USAGE;
        }
        Format format = formatArg == null ? null : switch (formatArg.toLowerCase(Locale.ROOT)) {
            case "fastlane" -> Format.FASTLANE;
            case "p8" -> Format.P8;
            default -> null;
        };
        if (format == null) {
            err.println("--format is fastlane (the default) or p8.\n" + USAGE_TEXT);
            return USAGE;
        }
        Path folder = Files.isDirectory(outArg) ? outArg : outArg.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            err.println("The folder to write " + outArg + " in does not exist.");
            return USAGE;
        }
        if (!Files.isDirectory(outArg) && Files.isSymbolicLink(outArg)) {
            err.println(outArg + " is a symbolic link; give the file itself (a key is never written through a link).");
            return USAGE;
        }
        try {
            Settings settings = Settings.fromEnvironment(env, Settings.Purpose.CLI);
            if (settings.masterKey() == null && !Files.exists(settings.masterKeyFile())) {
                err.println("No master key: set MASTER_KEY or MASTER_KEY_FILE to the bot's key.");
                return USAGE;
            }
            SecretBox box = secretBox(settings);
            try (Database database = Database.open(settings.databaseUrl(), settings.databaseUser(),
                    settings.databasePassword())) {
                Path written = export(ticketId, outArg, format, box, database, clock, who);
                out.println("Wrote " + written + " (" + format.words + ", mode 0600), and noted the export in "
                        + Ticket.PREFIX + ticketId + "'s thread.");
                return OK;
            }
        } catch (Refused e) {
            err.println(e.getMessage());
            return REFUSED;
        } catch (UncheckedIOException e) {
            err.println("Writing the key failed: " + e.getCause().getMessage());
            return REFUSED;
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            return USAGE;
        }
    }

    /**
     * With the ticket locked: checks it, writes the key and records the export, in one transaction — an account
     * being offboarded at the same moment is offboarded before or after, never during. A file written for a
     * transaction that then fails is removed.
     */
    private static Path export(long ticketId, Path outArg, Format format, SecretBox box, Database database,
            Clock clock, Who who) {
        JdbcTicketRepository tickets = new JdbcTicketRepository(database);
        TicketChanges changes = new TicketChanges(tickets, new JdbcOutbox(database), database, clock, List.of());
        JdbcSecretStore secrets = new JdbcSecretStore(database);
        String key = Ticket.PREFIX + ticketId;
        if (tickets.find(ticketId).isEmpty()) {
            throw new Refused("There is no ticket " + key + ".");
        }
        Path[] written = new Path[1];
        try {
            changes.apply(ticketId, ticket -> {
                refuseUnlessExportable(ticket, tickets.currentKeyVerified(ticketId));
                Path file = Files.isDirectory(outArg)
                        ? outArg.resolve("AuthKey_" + ticket.details().keyId() + format.extension) : outArg;
                byte[] content = content(ticket, format, sealed(secrets.find(ticketId, KeyVault.API_KEY), key), box);
                try {
                    write(file, content);
                    written[0] = file;
                } finally {
                    Arrays.fill(content, (byte) 0);
                }
                changes.record(ticket, TicketEvent.SYSTEM, TicketEvent.Kind.KEY_EXPORTED, "exported the API key "
                        + ticket.details().keyId() + " for the release pipeline (" + format.words + ") at the request "
                        + "of " + who.describe());
                return null;
            });
        } catch (RuntimeException e) {
            if (written[0] != null) {
                deleteQuietly(written[0]);
            }
            throw e;
        }
        return written[0];
    }

    private static void refuseUnlessExportable(Ticket ticket, boolean verified) {
        if (ticket.lifecycle() == Lifecycle.OFFBOARDED) {
            throw new Refused(ticket.key() + " was offboarded: its API key was destroyed, and the customer was asked "
                    + "to revoke it. Nothing to export.");
        }
        if (ticket.lifecycle() == Lifecycle.CLOSED) {
            throw new Refused(ticket.key() + " was closed: any key it received was destroyed. Nothing to export.");
        }
        if (!ticket.hasKey() || ticket.details().keyId() == null || ticket.details().issuerId() == null) {
            throw new Refused(ticket.key() + " has no API key yet (send the customer an Upload link).");
        }
        if (!verified) {
            throw new Refused(ticket.key() + " has a key that Apple has not verified yet; export it once Verify now "
                    + "passes.");
        }
    }

    private static Sealed sealed(Optional<Sealed> stored, String key) {
        return stored.orElseThrow(() -> new Refused("The API key of " + key + " is missing from the database."));
    }

    /** The file's bytes; the caller wipes them. */
    private static byte[] content(Ticket ticket, Format format, Sealed sealed, SecretBox box) {
        byte[] pkcs8;
        try {
            pkcs8 = box.open(sealed, SecretBox.aadFor(ticket.id(), KeyVault.API_KEY));
        } catch (SealedDataException e) {
            throw new Refused("The stored API key cannot be opened: " + e.getMessage());
        }
        try {
            String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----";
            if (format == Format.P8) {
                return (pem + "\n").getBytes(StandardCharsets.UTF_8);
            }
            JsonObject json = new JsonObject();
            json.addProperty("key_id", ticket.details().keyId());
            json.addProperty("issuer_id", ticket.details().issuerId());
            json.addProperty("key", pem);
            json.addProperty("in_house", false);
            return (new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(json) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /**
     * Writes a new file, readable by its owner only, beside the target, then renames it onto the target: the
     * key is never written through a symbolic link, nor readable by others for a moment.
     */
    private static void write(Path file, byte[] content) {
        try {
            if (Files.isSymbolicLink(file)) {
                throw new Refused(file + " is a symbolic link; a key is never written through a link.");
            }
            Path parent = file.toAbsolutePath().getParent();
            Path temporary = Files.createTempFile(parent, ".asc-onboard-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                try (OutputStream stream = Files.newOutputStream(temporary, LinkOption.NOFOLLOW_LINKS)) {
                    stream.write(content);
                }
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the export failed already; that is what the operator is told
        }
    }

    private static SecretBox secretBox(Settings settings) {
        byte[] key = MasterKey.load(settings).bytes();
        byte[] previous = settings.masterKeyPrevious() == null ? null
                : MasterKey.fromBase64(settings.masterKeyPrevious()).bytes();
        try {
            return new SecretBox(key, previous);
        } finally {
            Arrays.fill(key, (byte) 0);
            if (previous != null) {
                Arrays.fill(previous, (byte) 0);
            }
        }
    }
}
