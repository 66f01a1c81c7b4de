package com.asconboard.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.store.Database;
import com.asconboard.store.JdbcSecretStore;
import com.asconboard.store.JdbcTicketRepository;
import com.asconboard.testing.TestDatabases;
import com.asconboard.ticket.TicketDetails;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys as the database keeps them (H2): a ticket's API key opened for use, and every secret re-sealed from
 * one master key to the next — only those still under the old key, so an interrupted rotation resumes.
 */
class StoredKeysTest {
    @TempDir
    static Path dir;
    static Database database;
    static SecretStore store;
    static JdbcTicketRepository tickets;
    long ticket;
    long other;
    /** What this test stored, deleted after it: a rotation reads every secret in the database. */
    final List<Map.Entry<Long, String>> stored = new ArrayList<>();

    final byte[] oldKey = key();
    final byte[] newKey = key();
    final SecretBox oldBox = new SecretBox(oldKey);
    final SecretBox newBox = new SecretBox(newKey);

    @BeforeAll
    static void open() {
        database = Database.open(TestDatabases.fresh(TestDatabases.Kind.H2, dir), "", "");
        store = new JdbcSecretStore(database);
        tickets = new JdbcTicketRepository(database);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @BeforeEach
    void createTickets() {
        TicketDetails details = new TicketDetails("Stored Ltd", null, null, null, null);
        ticket = database.inTransaction(() -> tickets.create("T0STORED01", "C0STORED01", "U0STORED01", details,
                Instant.now())).id();
        other = database.inTransaction(() -> tickets.create("T0STORED01", "C0STORED01", "U0STORED01", details,
                Instant.now())).id();
    }

    @AfterEach
    void deleteSecrets() {
        stored.forEach(s -> store.delete(s.getKey(), s.getValue()));
    }

    @Test
    void a_ticket_without_an_uploaded_key_has_none_to_open() throws Exception {
        assertThat(new KeyVault(store, oldBox).apiKey(ticket)).isEmpty();
    }

    @Test
    void the_stored_api_key_opens_as_the_key_that_was_uploaded() throws Exception {
        KeyPair pair = TestKeys.ecP256();
        put(oldBox, ticket, KeyVault.API_KEY, TestKeys.applePkcs8(pair));

        ECPrivateKey opened = new KeyVault(store, oldBox).apiKey(ticket).orElseThrow();

        assertThat(opened.getS()).isEqualTo(((ECPrivateKey) pair.getPrivate()).getS());
        assertThat(new KeyVault(store, oldBox).apiKey(other)).as("another ticket's key is not this one's").isEmpty();
    }

    @Test
    void a_stored_key_sealed_for_another_ticket_does_not_open() {
        stored.add(Map.entry(ticket, KeyVault.API_KEY));
        store.put(ticket, KeyVault.API_KEY, oldBox.seal(TestKeys.applePkcs8(TestKeys.ecP256()),
                SecretBox.aadFor(other, KeyVault.API_KEY)), Instant.now());

        assertThatThrownBy(() -> new KeyVault(store, oldBox).apiKey(ticket))
                .isInstanceOfSatisfying(SealedDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(SealedDataException.Reason.AUTHENTICATION_FAILED));
    }

    @Test
    void a_stored_secret_that_is_not_an_ec_key_is_reported_without_its_bytes() {
        put(oldBox, ticket, KeyVault.API_KEY, TestKeys.rsa2048().getPrivate().getEncoded());

        assertThatThrownBy(() -> new KeyVault(store, oldBox).apiKey(ticket))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the stored key of ticket " + ticket + " is not an EC key");
    }

    @Test
    void rotation_reseals_what_the_old_key_sealed_and_resumes_where_it_stopped() throws Exception {
        put(oldBox, ticket, "p8", new byte[] {1, 2, 3});
        put(oldBox, other, "p8", new byte[] {4, 5});
        put(newBox, other, "csr.1", new byte[] {6});

        assertThat(MasterKeyRotation.rotate(store, oldBox, newBox)).isEqualTo(2);

        assertThat(store.countByMasterKey()).containsEntry(newBox.keyId(), 3).doesNotContainKey(oldBox.keyId());
        assertThat(open(newBox, ticket, "p8")).containsExactly(1, 2, 3);
        assertThat(open(newBox, other, "p8")).containsExactly(4, 5);
        assertThat(open(newBox, other, "csr.1")).containsExactly(6);
        assertThat(MasterKeyRotation.rotate(store, oldBox, newBox)).as("run again: nothing left").isZero();
    }

    @Test
    void rotating_to_the_same_key_is_refused() {
        assertThatThrownBy(() -> MasterKeyRotation.rotate(store, oldBox, new SecretBox(oldKey.clone())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the new master key is the same as the current one (" + oldBox.keyId() + ")");
    }

    @Test
    void resealing_under_the_current_key_moves_only_what_the_previous_key_sealed() throws Exception {
        put(oldBox, ticket, "p8", new byte[] {1});
        SecretBox rolling = new SecretBox(newKey, oldKey);
        put(rolling, other, "p8", new byte[] {2});

        assertThat(MasterKeyRotation.resealUnderCurrent(store, rolling)).isEqualTo(1);

        assertThat(store.countByMasterKey()).containsEntry(newBox.keyId(), 2).doesNotContainKey(oldBox.keyId());
        assertThat(open(newBox, ticket, "p8")).containsExactly(1);
        assertThat(open(newBox, other, "p8")).containsExactly(2);
        assertThat(MasterKeyRotation.resealUnderCurrent(store, rolling)).isZero();
    }

    @Test
    void resealing_without_a_previous_key_says_what_to_set() {
        assertThatThrownBy(() -> MasterKeyRotation.resealUnderCurrent(store, newBox))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no previous master key to rotate from: set MASTER_KEY_PREVIOUS to the outgoing key and "
                        + "MASTER_KEY to the new one");
    }

    @Test
    void a_secret_neither_key_opens_stops_the_rotation_and_says_which_key_sealed_it() {
        SecretBox stranger = new SecretBox(key());
        put(stranger, ticket, "p8", new byte[] {1});

        assertThatThrownBy(() -> MasterKeyRotation.rotate(store, oldBox, newBox))
                .isInstanceOfSatisfying(SealedDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(SealedDataException.Reason.OTHER_KEY))
                .hasMessageContaining(stranger.keyId());
    }

    private void put(SecretBox box, long ticketId, String purpose, byte[] plain) {
        stored.add(Map.entry(ticketId, purpose));
        store.put(ticketId, purpose, box.seal(plain, SecretBox.aadFor(ticketId, purpose)), Instant.now());
    }

    private byte[] open(SecretBox box, long ticketId, String purpose) throws SealedDataException {
        return box.open(store.find(ticketId, purpose).orElseThrow(), SecretBox.aadFor(ticketId, purpose));
    }

    private static byte[] key() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return key;
    }
}
