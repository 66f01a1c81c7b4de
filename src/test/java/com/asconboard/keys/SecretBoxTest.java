package com.asconboard.keys;

import static com.asconboard.keys.TestKeys.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.asconboard.keys.SealedDataException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] masterKey = randomKey();
    private final SecretBox box = new SecretBox(masterKey);
    private final byte[] secret = utf8("-----BEGIN PRIVATE KEY-----\nsecret\n-----END PRIVATE KEY-----\n");
    private final byte[] aad = SecretBox.aadFor(42, "p8");

    @Test
    void opens_what_it_sealed() throws Exception {
        Sealed sealed = box.seal(secret, aad);

        assertThat(box.open(sealed, aad)).isEqualTo(secret);
        assertThat(sealed.keyId()).isEqualTo(box.keyId());
    }

    @Test
    void round_trips_an_empty_secret_and_null_associated_data() throws Exception {
        assertThat(box.open(box.seal(new byte[0], null), null)).isEmpty();
    }

    @Test
    void uses_a_fresh_iv_for_every_seal() {
        Sealed first = box.seal(secret, aad);
        Sealed second = box.seal(secret, aad);

        assertThat(first.iv()).hasSize(12).isNotEqualTo(second.iv());
        assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
        assertThat(first.ciphertext()).hasSize(secret.length + 16);
    }

    @Test
    void refuses_to_open_with_other_associated_data() {
        Sealed sealed = box.seal(secret, aad);

        assertAuthenticationFails(() -> box.open(sealed, SecretBox.aadFor(43, "p8")));
        assertAuthenticationFails(() -> box.open(sealed, SecretBox.aadFor(42, "issuer")));
    }

    @Test
    void refuses_ciphertext_with_a_flipped_bit() {
        Sealed sealed = box.seal(secret, aad);
        byte[] ciphertext = sealed.ciphertext();
        ciphertext[3] ^= 0x01;

        assertAuthenticationFails(() -> box.open(new Sealed(sealed.keyId(), sealed.iv(), ciphertext), aad));
    }

    @Test
    void refuses_a_tag_with_a_flipped_bit() {
        Sealed sealed = box.seal(secret, aad);
        byte[] ciphertext = sealed.ciphertext();
        ciphertext[ciphertext.length - 1] ^= (byte) 0x80;

        assertAuthenticationFails(() -> box.open(new Sealed(sealed.keyId(), sealed.iv(), ciphertext), aad));
    }

    @Test
    void refuses_an_iv_with_a_flipped_bit() {
        Sealed sealed = box.seal(secret, aad);
        byte[] iv = sealed.iv();
        iv[0] ^= 0x01;

        assertAuthenticationFails(() -> box.open(new Sealed(sealed.keyId(), iv, sealed.ciphertext()), aad));
    }

    @Test
    void refuses_data_sealed_under_another_master_key_naming_both_key_ids() {
        SecretBox other = new SecretBox(randomKey());
        Sealed sealed = other.seal(secret, aad);

        assertThatThrownBy(() -> box.open(sealed, aad))
                .isInstanceOfSatisfying(SealedDataException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.OTHER_KEY);
                    assertThat(e.getMessage()).isEqualTo("sealed under master key " + other.keyId()
                            + ", this server has " + box.keyId()
                            + ": restore the key it was sealed under (as MASTER_KEY_PREVIOUS during a rotation)");
                });
    }

    @Test
    void refuses_a_key_id_forged_to_match_when_the_key_differs() {
        Sealed forged = new Sealed(box.keyId(), new byte[12], new byte[32]);

        assertAuthenticationFails(() -> box.open(forged, aad));
    }

    @Test
    void key_id_is_the_first_8_hex_chars_of_the_keys_sha256() throws Exception {
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(masterKey);

        assertThat(box.keyId()).isEqualTo(HexFormat.of().formatHex(digest).substring(0, 8));
        assertThat(new SecretBox(masterKey.clone()).keyId()).isEqualTo(box.keyId());
    }

    @Test
    void stored_bytes_round_trip() throws Exception {
        Sealed sealed = box.seal(secret, aad);

        byte[] stored = sealed.toBytes();
        Sealed restored = Sealed.fromBytes(stored);

        assertThat(stored[0]).isEqualTo((byte) 1);
        assertThat(stored).hasSize(1 + 8 + 12 + secret.length + 16);
        assertThat(restored).isEqualTo(sealed);
        assertThat(box.open(restored, aad)).isEqualTo(secret);
    }

    @Test
    void rejects_malformed_stored_bytes_clearly() {
        byte[] good = box.seal(secret, aad).toBytes();

        assertMalformed(null, "empty");
        assertMalformed(new byte[0], "empty");
        assertMalformed(withByte(good, 0, (byte) 2), "format version is 2");
        assertMalformed(Arrays.copyOf(good, 1 + 8 + 12 + 15), "shorter than the smallest possible");
        assertMalformed(withByte(good, 3, (byte) 'Z'), "master key id");
    }

    @Test
    void to_string_shows_no_bytes() {
        Sealed sealed = box.seal(secret, aad);

        assertThat(sealed.toString())
                .contains(box.keyId())
                .doesNotContain(TestKeys.base64(sealed.ciphertext()).substring(0, 8))
                .doesNotContain(HexFormat.of().formatHex(sealed.iv()).substring(0, 8))
                .doesNotContain("[B@");
        assertThat(box.toString()).doesNotContain(HexFormat.of().formatHex(masterKey).substring(0, 8));
    }

    @Test
    void sealed_copies_its_arrays_in_and_out() {
        byte[] iv = new byte[12];
        byte[] ciphertext = new byte[20];
        Sealed sealed = new Sealed("0123abcd", iv, ciphertext);

        iv[0] = 1;
        sealed.ciphertext()[0] = 1;

        assertThat(sealed.iv()[0]).isZero();
        assertThat(sealed.ciphertext()[0]).isZero();
    }

    @Test
    void rejects_a_31_byte_master_key_without_echoing_it() {
        byte[] shortKey = new byte[31];
        Arrays.fill(shortKey, (byte) 0x5A);

        assertThatThrownBy(() -> new SecretBox(shortKey))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes")
                .hasMessageContaining("got 31 bytes")
                .hasMessageNotContaining("5A")
                .hasMessageNotContaining("5a")
                .hasMessageNotContaining("ZZZZ");
    }

    @Test
    void associated_data_names_the_ticket_and_purpose() {
        assertThat(new String(SecretBox.aadFor(42, "p8"), StandardCharsets.UTF_8))
                .isEqualTo("asc-onboard:ticket:42:p8");
        assertThatThrownBy(() -> SecretBox.aadFor(42, "p8:43")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SecretBox.aadFor(42, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_smallest_valid_sealed_secret_opens_and_one_byte_less_is_refused() throws Exception {
        byte[] smallest = box.seal(new byte[0], aad).toBytes();

        assertThat(smallest).hasSize(1 + 8 + 12 + 16);
        assertThat(box.open(Sealed.fromBytes(smallest), aad)).isEmpty();
        assertThatThrownBy(() -> Sealed.fromBytes(Arrays.copyOf(smallest, smallest.length - 1)))
                .isInstanceOfSatisfying(SealedDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessage("stored sealed data is malformed: it is 36 bytes, shorter than the smallest possible (37)");
        assertThat(Sealed.fromBytes(new byte[] {1, 'a', 'b', 'c', 'd', '0', '1', '2', '3', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}).keyId()).isEqualTo("abcd0123");
    }

    @Test
    void a_sealed_value_needs_a_12_byte_iv_and_a_whole_16_byte_tag() {
        assertThat(new Sealed("0123abcd", new byte[12], new byte[16]).ciphertext()).hasSize(16);
        assertThatThrownBy(() -> new Sealed("0123abcd", new byte[12], new byte[15]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ciphertext must include the 16-byte tag, was 15 bytes");
        for (int length : new int[] {11, 13}) {
            assertThatThrownBy(() -> new Sealed("0123abcd", new byte[length], new byte[16]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("iv must be 12 bytes, was " + length);
        }
        for (String keyId : new String[] {"0123abc", "0123abcde", "0123ABCD"}) {
            assertThatThrownBy(() -> new Sealed(keyId, new byte[12], new byte[16])).as(keyId)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("keyId must be 8 lower-case hex characters");
        }
    }

    @Test
    void a_box_with_the_previous_key_opens_what_either_sealed_and_seals_under_the_new_one() throws Exception {
        byte[] previous = randomKey();
        SecretBox old = new SecretBox(previous);
        SecretBox rolling = new SecretBox(masterKey, previous);

        assertThat(rolling.open(old.seal(secret, aad), aad)).isEqualTo(secret);
        assertThat(rolling.open(box.seal(secret, aad), aad)).isEqualTo(secret);
        assertThat(rolling.seal(secret, aad).keyId()).isEqualTo(box.keyId());
        assertThat(rolling.previousKeyId()).isEqualTo(old.keyId());
        assertThat(box.previousKeyId()).isNull();
        assertThat(rolling.opens(box.keyId())).isTrue();
        assertThat(rolling.opens(old.keyId())).isTrue();
        assertThat(rolling.opens("0000ffff")).isFalse();
        assertThat(box.opens(old.keyId())).isFalse();
        assertThat(box.opens(box.keyId())).isTrue();
        assertThat(rolling).hasToString("SecretBox[keyId=" + box.keyId() + ", previous=" + old.keyId() + "]");
        assertThat(box).hasToString("SecretBox[keyId=" + box.keyId() + "]");
    }

    @Test
    void a_box_with_a_previous_key_names_both_when_a_third_key_sealed_the_data() {
        byte[] previous = randomKey();
        SecretBox rolling = new SecretBox(masterKey, previous);
        SecretBox third = new SecretBox(randomKey());

        assertThatThrownBy(() -> rolling.open(third.seal(secret, aad), aad))
                .isInstanceOfSatisfying(SealedDataException.class, e -> assertThat(e.reason()).isEqualTo(Reason.OTHER_KEY))
                .hasMessage("sealed under master key " + third.keyId() + ", this server has " + box.keyId()
                        + " (and previous " + new SecretBox(previous).keyId()
                        + "): restore the key it was sealed under (as MASTER_KEY_PREVIOUS during a rotation)");
    }

    @Test
    void a_previous_key_of_the_wrong_length_is_refused() {
        assertThatThrownBy(() -> new SecretBox(masterKey, new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the previous master key must be 32 bytes (AES-256), got 16 bytes");
    }

    @Test
    void the_stored_format_version_is_read_as_an_unsigned_byte() {
        byte[] good = box.seal(secret, aad).toBytes();

        assertThatThrownBy(() -> Sealed.fromBytes(withByte(good, 0, (byte) 2)))
                .hasMessage("stored sealed data is malformed: its format version is 2, this server reads version 1");
        assertThatThrownBy(() -> Sealed.fromBytes(withByte(good, 0, (byte) 0x80)))
                .hasMessage("stored sealed data is malformed: its format version is 128, this server reads version 1");
    }

    @Test
    void sealed_values_are_equal_only_when_key_id_iv_and_ciphertext_all_are() {
        byte[] iv = new byte[12];
        byte[] ciphertext = new byte[20];
        Sealed one = new Sealed("0123abcd", iv, ciphertext);
        byte[] otherIv = iv.clone();
        otherIv[11] = 1;
        byte[] otherCiphertext = ciphertext.clone();
        otherCiphertext[19] = 1;

        assertThat(one).isEqualTo(new Sealed("0123abcd", iv.clone(), ciphertext.clone()))
                .hasSameHashCodeAs(new Sealed("0123abcd", iv.clone(), ciphertext.clone()))
                .isNotEqualTo(new Sealed("0123abce", iv, ciphertext))
                .isNotEqualTo(new Sealed("0123abcd", otherIv, ciphertext))
                .isNotEqualTo(new Sealed("0123abcd", iv, otherCiphertext))
                .isNotEqualTo("0123abcd");
        assertThat(new java.util.HashSet<>(java.util.List.of(one.hashCode(), new Sealed("0123abce", iv, ciphertext).hashCode(),
                new Sealed("0123abcd", otherIv, ciphertext).hashCode(),
                new Sealed("0123abcd", iv, otherCiphertext).hashCode()))).hasSize(4);
        assertThat(one).hasToString("Sealed[keyId=0123abcd, 4 bytes of sealed data]");
    }

    // ---- helpers

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private static byte[] withByte(byte[] bytes, int index, byte value) {
        byte[] copy = bytes.clone();
        copy[index] = value;
        return copy;
    }

    private static void assertAuthenticationFails(org.assertj.core.api.ThrowableAssert.ThrowingCallable open) {
        assertThatThrownBy(open)
                .isInstanceOfSatisfying(SealedDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED))
                .hasMessage("authentication failed: the data was altered or belongs to another record");
    }

    private static void assertMalformed(byte[] bytes, String why) {
        assertThatThrownBy(() -> Sealed.fromBytes(bytes))
                .isInstanceOfSatisfying(SealedDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessageStartingWith("stored sealed data is malformed: ")
                .hasMessageContaining(why);
    }
}
