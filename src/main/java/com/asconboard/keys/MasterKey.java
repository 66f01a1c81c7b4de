package com.asconboard.keys;

import com.asconboard.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The 32-byte key that encrypts secrets at rest. Never printed. */
public final class MasterKey {
    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
    public static final int LENGTH = 32;

    private static final Set<PosixFilePermission> SHARED = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private final byte[] bytes;

    private MasterKey(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a master key is " + LENGTH + " bytes, got " + bytes.length);
        }
        this.bytes = bytes;
    }

    public static MasterKey fromBase64(String base64) {
        return new MasterKey(Base64.getDecoder().decode(base64.strip()));
    }

    /**
     * Uses {@code MASTER_KEY} when set, else the key file, creating it (mode 0600) when absent.
     *
     * @throws IllegalStateException if the key file can be read or written by its group or by others
     */
    public static MasterKey load(Settings settings) {
        if (settings.masterKey() != null) {
            return fromBase64(settings.masterKey());
        }
        Path file = settings.masterKeyFile();
        try {
            if (Files.exists(file)) {
                refuseIfShared(file);
                return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
            }
            return create(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
        }
    }

    /**
     * A key file others can read opens every secret in the database for them, and one they can write lets
     * them plant their own key. Like OpenSSH with a private key, the bot refuses to use it rather than
     * warn in a log nobody reads; the fix is one command. Checked where the file system has POSIX modes.
     */
    static void refuseIfShared(Path file) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException noPosixModes) {
            return;
        }
        if (!Collections.disjoint(permissions, SHARED)) {
            throw new IllegalStateException("The master key file " + file.toAbsolutePath() + " can be read or "
                    + "written by other users (mode " + PosixFilePermissions.toString(permissions) + "), and it "
                    + "opens every key stored by the bot. Restrict it with: chmod 600 " + file.toAbsolutePath()
                    + " — and keep it out of the data folder's backups (see the README's Security section).");
        }
    }

    static MasterKey create(Path file) throws IOException {
        byte[] key = new byte[LENGTH];
        new SecureRandom().nextBytes(key);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
        log.warn("No MASTER_KEY or MASTER_KEY_FILE found: created a new master key at {} (mode 0600). "
                + "Back it up: secrets stored under it cannot be read without it.", file.toAbsolutePath());
        return new MasterKey(key);
    }

    /** A copy of the key bytes; the caller wipes it after use. */
    public byte[] bytes() {
        return Arrays.copyOf(bytes, bytes.length);
    }

    @Override
    public String toString() {
        return "MasterKey[" + Settings.MASK + "]";
    }
}
