package com.asconboard.keys;

import com.asconboard.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The 32-byte key that encrypts secrets at rest. Never printed. */
public final class MasterKey {
    private static final Logger log = LoggerFactory.getLogger(MasterKey.class);
    public static final int LENGTH = 32;

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

    /** Uses {@code MASTER_KEY} when set, else the key file, creating it (mode 0600) when absent. */
    public static MasterKey load(Settings settings) {
        if (settings.masterKey() != null) {
            return fromBase64(settings.masterKey());
        }
        Path file = settings.masterKeyFile();
        try {
            if (Files.exists(file)) {
                return fromBase64(Files.readString(file, StandardCharsets.US_ASCII));
            }
            return create(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
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
