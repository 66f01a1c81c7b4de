package com.asconboard.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.keys.Sealed;
import com.asconboard.keys.SecretBox;
import com.asconboard.testing.Bytes;
import com.asconboard.ticket.TicketDetails;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destroyed secret is gone from the embedded database's file too once the bot stops: H2 keeps freed pages
 * in its file until it is compacted, which the bot does when it stops (a backup of a running H2 file may still
 * hold it).
 */
class DestroyedSecretsOnDiskTest {
    @TempDir
    Path dir;

    @Test
    void a_deleted_secret_is_not_in_the_h2_file_once_the_bot_has_stopped() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath();
        byte[] plain = new byte[64];
        new SecureRandom().nextBytes(plain);
        Sealed sealed;
        Database database = Database.open(url, "", "");
        try {
            JdbcSecretStore secrets = new JdbcSecretStore(database);
            long ticket = database.inTransaction(() -> new JdbcTicketRepository(database).create("T0TEST0001",
                    "C0CHAN0001", "U0USER0001", new TicketDetails("Disk Ltd", null, null, null, null),
                    Instant.now())).id();
            sealed = new SecretBox(new byte[32]).seal(plain, SecretBox.aadFor(ticket, "p8"));
            database.inTransaction(() -> {
                secrets.put(ticket, "p8", sealed, Instant.now());
                return null;
            });
            try (var c = database.dataSource().getConnection()) {
                c.createStatement().execute("CHECKPOINT SYNC");
            }
            assertThat(Bytes.indexOf(Files.readAllBytes(dir.resolve("db.mv.db")), sealed.ciphertext()))
                    .as("written to the file").isNotNegative();
            database.inTransaction(() -> secrets.delete(ticket, "p8"));
        } finally {
            database.closeAndCompact();
        }

        assertThat(Bytes.indexOf(Files.readAllBytes(dir.resolve("db.mv.db")), sealed.ciphertext())).isNegative();
    }
}
