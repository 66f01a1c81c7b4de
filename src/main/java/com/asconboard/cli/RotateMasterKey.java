package com.asconboard.cli;

import com.asconboard.config.Settings;
import com.asconboard.keys.MasterKey;
import com.asconboard.keys.MasterKeyRotation;
import com.asconboard.keys.SealedDataException;
import com.asconboard.keys.SecretBox;
import com.asconboard.store.Database;
import com.asconboard.store.JdbcSecretStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Re-seals every stored secret under a new master key, one secret at a time, so it can run again after an
 * interruption. Two ways:
 * <ul>
 * <li>{@code rotate-master-key} with {@code MASTER_KEY} (the new key) and {@code MASTER_KEY_PREVIOUS} (the old
 * one) set, as every instance runs them during the rotation: no instance needs to stop;
 * <li>{@code rotate-master-key --new-key-file F}: re-seals under the key in F (created, 0600, when absent), then
 * installs it as the master key file. Run it while the bot is stopped.
 * </ul>
 */
public final class RotateMasterKey {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;

    private RotateMasterKey() {
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Path newKeyFile = null;
        for (int i = 0; i < args.length; i++) {
            if ("--new-key-file".equals(args[i]) && i + 1 < args.length) {
                newKeyFile = Path.of(args[++i]);
            } else {
                err.println("Unknown argument '" + args[i] + "'. Usage: rotate-master-key --new-key-file FILE");
                return USAGE;
            }
        }
        Settings settings;
        try {
            settings = Settings.fromEnvironment(env, Settings.Purpose.CLI);
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            return USAGE;
        }
        if (newKeyFile == null) {
            if (settings.masterKeyPrevious() == null) {
                err.println("Usage: rotate-master-key --new-key-file FILE (FILE is created with a fresh key if absent), "
                        + "or rotate-master-key with MASTER_KEY set to the new key and MASTER_KEY_PREVIOUS to the old "
                        + "one, as the serving instances run during a rotation.");
                return USAGE;
            }
            return resealWhileServing(settings, out, err);
        }
        if (settings.masterKey() == null && !Files.exists(settings.masterKeyFile())) {
            err.println("There is no current master key: neither MASTER_KEY nor " + settings.masterKeyFile()
                    + " exists, so there is nothing to rotate.");
            return USAGE;
        }
        try {
            byte[] newKey = readOrCreate(newKeyFile);
            SecretBox from = box(MasterKey.load(settings).bytes());
            SecretBox to = box(newKey);
            int changed;
            try (Database database = Database.open(settings.databaseUrl(), settings.databaseUser(),
                    settings.databasePassword())) {
                changed = MasterKeyRotation.rotate(new JdbcSecretStore(database), from, to);
            }
            out.println("Re-sealed " + changed + " secret(s) from master key " + from.keyId() + " to " + to.keyId()
                    + ".");
            if (settings.masterKey() != null) {
                out.println("MASTER_KEY is set in the environment: set it to the content of " + newKeyFile
                        + " before starting the bot again.");
            } else {
                install(newKeyFile, settings.masterKeyFile(), out);
            }
            return OK;
        } catch (SealedDataException | IOException | RuntimeException e) {
            err.println("Rotation stopped: " + e.getMessage() + ". Some secrets may already be sealed under the new "
                    + "key in " + newKeyFile + ": keep that file and the current key, and run the same command again "
                    + "to finish (it resumes where it stopped; nothing is lost).");
            return FAILED;
        }
    }

    /** The rotation without downtime: MASTER_KEY is the new key, MASTER_KEY_PREVIOUS the old one. */
    private static int resealWhileServing(Settings settings, PrintStream out, PrintStream err) {
        byte[] key = MasterKey.load(settings).bytes();
        byte[] previous = MasterKey.fromBase64(settings.masterKeyPrevious()).bytes();
        SecretBox box;
        try {
            box = new SecretBox(key, previous);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(previous, (byte) 0);
        }
        try (Database database = Database.open(settings.databaseUrl(), settings.databaseUser(),
                settings.databasePassword())) {
            int changed = MasterKeyRotation.resealUnderCurrent(new JdbcSecretStore(database), box);
            out.println("Re-sealed " + changed + " secret(s) from master key " + box.previousKeyId() + " to "
                    + box.keyId() + ". Every secret is now under MASTER_KEY: roll the instances out without "
                    + "MASTER_KEY_PREVIOUS.");
            return OK;
        } catch (SealedDataException | RuntimeException e) {
            err.println("Rotation stopped: " + e.getMessage() + ". Keep MASTER_KEY_PREVIOUS set on every instance and "
                    + "run rotate-master-key again to finish (it resumes where it stopped; nothing is lost).");
            return FAILED;
        }
    }

    private static SecretBox box(byte[] key) {
        try {
            return new SecretBox(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
            if (key.length != MasterKey.LENGTH) {
                throw new IllegalArgumentException(file + " must hold " + MasterKey.LENGTH
                        + " bytes in base64");
            }
            return key;
        }
        byte[] key = new byte[MasterKey.LENGTH];
        new SecureRandom().nextBytes(key);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        return key;
    }

    /** Keeps the old key beside the new one until the operator no longer needs old backups. */
    private static void install(Path newKeyFile, Path masterKeyFile, PrintStream out) throws IOException {
        Path previous = masterKeyFile.resolveSibling(masterKeyFile.getFileName() + ".previous");
        Files.copy(masterKeyFile, previous, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        Path staged = masterKeyFile.resolveSibling(masterKeyFile.getFileName() + ".new");
        Files.copy(newKeyFile, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
        Files.move(staged, masterKeyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        out.println(masterKeyFile + " now holds the new key; the old one is in " + previous
                + ". Delete it once no database backup sealed under it is needed.");
    }
}
