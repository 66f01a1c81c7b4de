package com.asconboard.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyFileNameTest {
    @Test
    void a_key_id_in_the_name_is_exactly_ten_letters_or_digits() {
        assertThat(KeyFileName.of("AuthKey_abcde12345.p8").keyId()).isEqualTo("ABCDE12345");
        assertThat(KeyFileName.of("AuthKey_ABCDE12345 (1).p8").keyId()).isEqualTo("ABCDE12345");
        assertThat(KeyFileName.of("C:\\fakepath\\AuthKey_ABCDE12345-2.p8").keyId()).isEqualTo("ABCDE12345");

        for (String id : new String[] {"A", "ABCDE1234", "ABCDE123456", "B".repeat(5_000)}) {
            KeyFileName name = KeyFileName.of("AuthKey_" + id + ".p8");
            assertThat(name.keyId()).as(id).isNull();
            assertThat(name.hasMalformedKeyId()).as(id).isTrue();
        }
    }

    @Test
    void names_of_another_shape_say_nothing_about_the_key_id() {
        for (String fileName : new String[] {"key.p8", "AuthKey_.p8", "my AuthKey_ABCDE12345.p8", null}) {
            KeyFileName name = KeyFileName.of(fileName);
            assertThat(name.keyId()).as(fileName).isNull();
            assertThat(name.hasMalformedKeyId()).as(fileName).isFalse();
        }
    }

    @Test
    void a_malformed_key_id_in_the_name_is_refused_only_when_the_name_was_to_supply_it() throws Exception {
        byte[] key = TestKeys.p8Pem(TestKeys.ecP256()).getBytes(StandardCharsets.UTF_8);
        String overlong = "AuthKey_" + "L".repeat(200) + ".p8";

        assertThatThrownBy(() -> ApiKeyFile.parse(key.clone(), overlong, null))
                .isInstanceOfSatisfying(InvalidApiKeyException.class, e -> assertThat(e.problem())
                        .isEqualTo(InvalidApiKeyException.Problem.KEY_ID_IN_FILE_NAME_MALFORMED))
                .hasMessageContaining("10 letters or digits").hasMessageNotContaining("LLLLLLLLLLL");
        // The ticket knows its Key ID: the name is only a label then.
        assertThat(ApiKeyFile.parse(key.clone(), overlong, "ABCDE12345").keyId()).isEqualTo("ABCDE12345");
        // What the file holds is explained first.
        assertThatThrownBy(() -> ApiKeyFile.parse(new byte[] {1, 2, (byte) 0xff}, overlong, null))
                .isInstanceOfSatisfying(InvalidApiKeyException.class, e -> assertThat(e.problem())
                        .isEqualTo(InvalidApiKeyException.Problem.BINARY_FILE));
    }
}
