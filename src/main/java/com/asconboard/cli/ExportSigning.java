package com.asconboard.cli;

import com.asconboard.certs.CertificateRepository;
import com.asconboard.certs.CertificateService;
import com.asconboard.config.Settings;
import com.asconboard.keys.MasterKey;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretBox;
import com.asconboard.store.Database;
import com.asconboard.store.JdbcCertificateRepository;
import com.asconboard.store.JdbcSecretStore;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.VendorCertificate;
import java.io.ByteArrayInputStream;
import java.io.Console;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code export-signing --ticket ASC-<n> --out DIR [--password-file F]}: writes the vendor's
 * distribution certificate and its private key as a {@code .p12} for the release pipeline. Refuses
 * an expired or revoked certificate. Exit 0 written, 1 refused, 2 usage or input error.
 */
public final class ExportSigning {
    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int USAGE = 2;
    static final String USAGE_TEXT = "Usage: java -jar asc-onboard.jar export-signing --ticket ASC-<n> --out DIR "
            + "[--password-file FILE]";
    static final int MIN_PASSWORD = 8;

    /** Where the password comes from when no file is given; tests replace the console. */
    @FunctionalInterface
    public interface PasswordPrompt {
        char[] ask(String prompt);
    }

    private ExportSigning() {
    }

    public static PasswordPrompt console() {
        return prompt -> {
            Console console = System.console();
            return console == null ? null : console.readPassword("%s", prompt);
        };
    }

    public static int run(String[] args, Map<String, String> env, Clock clock, PasswordPrompt prompt, PrintStream out,
            PrintStream err) {
        String ticketArg = null;
        Path outDir = null;
        Path passwordFile = null;
        for (int i = 0; i < args.length; i++) {
            boolean hasValue = i + 1 < args.length;
            switch (args[i]) {
                case "--ticket" -> ticketArg = hasValue ? args[++i] : null;
                case "--out" -> outDir = hasValue ? Path.of(args[++i]) : null;
                case "--password-file" -> passwordFile = hasValue ? Path.of(args[++i]) : null;
                default -> {
                    err.println("Unknown argument '" + args[i] + "'.\n" + USAGE_TEXT);
                    return USAGE;
                }
            }
        }
        long ticketId = Ticket.parseKey(ticketArg);
        if (ticketId < 0 || outDir == null) {
            err.println((ticketId < 0 ? "Give the ticket as --ticket ASC-<n>." : "Give the output folder as --out DIR.")
                    + "\n" + USAGE_TEXT);
            return USAGE;
        }
        if (!Files.isDirectory(outDir)) {
            err.println("The output folder " + outDir + " does not exist.");
            return USAGE;
        }
        Path file = outDir.resolve(Ticket.PREFIX + ticketId + "-distribution.p12");
        if (Files.isSymbolicLink(file) || (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
                && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))) {
            // Writing through a link would put the signing identity wherever the link points.
            err.println(file + " is a symbolic link or not a regular file: the signing identity is not written "
                    + "through it. Remove it, or choose another --out folder.");
            return REFUSED;
        }
        char[] password = null;
        try {
            password = password(passwordFile, prompt, err);
            if (password == null) {
                return USAGE;
            }
            Settings settings = Settings.fromEnvironment(env, Settings.Purpose.CLI);
            if (settings.masterKey() == null && !Files.exists(settings.masterKeyFile())) {
                err.println("No master key: set MASTER_KEY or MASTER_KEY_FILE to the bot's key.");
                return USAGE;
            }
            byte[] masterKey = MasterKey.load(settings).bytes();
            SecretBox box;
            try {
                box = new SecretBox(masterKey);
            } finally {
                Arrays.fill(masterKey, (byte) 0);
            }
            try (Database database = Database.open(settings.databaseUrl(), settings.databaseUser(),
                    settings.databasePassword())) {
                return export(ticketId, file, password, box, database, clock, out, err);
            }
        } catch (IOException e) {
            err.println("Cannot read the password file: " + e.getMessage());
            return USAGE;
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            return USAGE;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static int export(long ticketId, Path file, char[] password, SecretBox box, Database database,
            Clock clock, PrintStream out, PrintStream err) {
        String key = Ticket.PREFIX + ticketId;
        Optional<CertificateRepository.Stored> stored = new JdbcCertificateRepository(database).current(ticketId);
        if (stored.isEmpty()) {
            err.println(key + " has no distribution certificate yet (press Create certificate in Slack).");
            return REFUSED;
        }
        CertificateRepository.Stored cert = stored.get();
        if (VendorCertificate.Status.REVOKED.name().equals(cert.status())) {
            err.println("The certificate of " + key + " (serial " + cert.serial() + ") was revoked in the customer's "
                    + "account; create a new one with Create certificate.");
            return REFUSED;
        }
        if (!clock.instant().isBefore(cert.expiresAt())) {
            err.println("The certificate of " + key + " (serial " + cert.serial() + ") expired " + cert.expiresAt()
                    + "; create a new one with Create certificate.");
            return REFUSED;
        }
        byte[] pkcs8 = null;
        try {
            String purpose = CertificateService.keyPurpose(cert.serial());
            var sealed = new JdbcSecretStore(database).find(ticketId, purpose);
            if (sealed.isEmpty()) {
                err.println("The private key of " + key + "'s certificate is missing from the database.");
                return REFUSED;
            }
            pkcs8 = box.open(sealed.get(), SecretBox.aadFor(ticketId, purpose));
            PrivateKey privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(cert.der()));
            KeyStore p12 = KeyStore.getInstance("PKCS12");
            p12.load(null, null);
            p12.setKeyEntry(key + " distribution", privateKey, password, new Certificate[] {x509});
            // An earlier export is replaced; the new file is created owner-only in one step that follows no
            // link, so a link planted after the check above fails the export instead of redirecting it.
            Files.deleteIfExists(file);
            try (OutputStream stream = Channels.newOutputStream(Files.newByteChannel(file, Set.of(
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))) {
                p12.store(stream, password);
            }
            out.println("Wrote " + file + " (serial " + cert.serial() + ", expires " + cert.expiresAt() + ").");
            return OK;
        } catch (SealedDataException e) {
            err.println("The private key cannot be opened: " + e.getMessage());
            return REFUSED;
        } catch (GeneralSecurityException | IOException e) {
            err.println("Writing the .p12 failed: " + e.getMessage());
            return REFUSED;
        } finally {
            if (pkcs8 != null) {
                Arrays.fill(pkcs8, (byte) 0);
            }
        }
    }

    private static char[] password(Path file, PasswordPrompt prompt, PrintStream err) throws IOException {
        char[] password;
        if (file != null) {
            password = Files.readString(file, StandardCharsets.UTF_8).stripTrailing().toCharArray();
        } else {
            password = prompt.ask("Password for the .p12: ");
            if (password == null) {
                err.println("No terminal to ask for a password: give --password-file FILE.");
                return null;
            }
            char[] again = prompt.ask("Again: ");
            if (again == null || !Arrays.equals(password, again)) {
                err.println("The passwords differ.");
                Arrays.fill(password, '\0');
                return null;
            }
            Arrays.fill(again, '\0');
        }
        if (password.length < MIN_PASSWORD) {
            err.println("The password must have at least " + MIN_PASSWORD + " characters.");
            Arrays.fill(password, '\0');
            return null;
        }
        return password;
    }
}
