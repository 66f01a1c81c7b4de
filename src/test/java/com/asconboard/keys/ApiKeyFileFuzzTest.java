package com.asconboard.keys;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.driver.FuzzedDataProviderImpl;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever a customer uploads, the key file check either returns a key or refuses the file with
 * {@link InvalidApiKeyException}, and the refusal never quotes the key material it was given.
 *
 * <p>Input layout (so that seeds stay readable): the file name, a backslash and a newline, the key
 * id the ticket expects, a backslash and a newline, then the file's bytes. An empty name or key id
 * stands for "none". Seeds live in {@code ApiKeyFileFuzzTestInputs/<method>/}.
 */
class ApiKeyFileFuzzTest {
    /** A run this long in a message is no accident: it would be a piece of the uploaded key. */
    private static final int LEAK_RUN = 16;

    /** One call's arguments, read from the fuzzer's bytes in the layout above. */
    record Upload(String fileName, String expectedKeyId, byte[] content) {
        static Upload from(FuzzedDataProvider data) {
            String fileName = emptyAsNull(data.consumeString(300));
            // The caller passes a key id the form already checked (letters and digits); anything else is
            // a documented IllegalArgumentException, not a finding.
            String expectedKeyId = emptyAsNull(data.consumeString(40).replaceAll("[^A-Za-z0-9]", ""));
            return new Upload(fileName, expectedKeyId, data.consumeRemainingAsBytes());
        }

        private static String emptyAsNull(String value) {
            return value.isEmpty() ? null : value;
        }
    }

    @FuzzTest
    void returns_a_key_or_explains_the_refusal_without_quoting_the_file(FuzzedDataProvider data) {
        Upload upload = Upload.from(data);
        String fileName = upload.fileName();
        String expectedKeyId = upload.expectedKeyId();
        byte[] content = upload.content();
        byte[] original = content.clone();

        try {
            ApiKey key = ApiKeyFile.parse(content, fileName, expectedKeyId);
            byte[] pkcs8 = key.pkcs8();
            assertThat(pkcs8).as("an accepted key has its PKCS#8 form").isNotEmpty();
            assertThat(key.publicKey().getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
            key.destroy();
        } catch (InvalidApiKeyException refused) {
            assertThat(refused.problem()).isNotNull();
            assertThat(refused.getMessage()).isNotBlank();
            String leaked = quotedRun(refused.getMessage(), original, fileName, expectedKeyId);
            assertThat(leaked).as("the refusal (" + refused.problem() + ") quotes the upload: " + refused.getMessage())
                    .isNull();
        }
        assertThat(content).as("the upload is not modified; the caller wipes it").isEqualTo(original);
    }

    /** Guards the seed layout: were it off by a byte, the valid seeds would only ever test refusals. */
    @ParameterizedTest
    @ValueSource(strings = {"valid-key-with-matching-names", "valid-key-id-from-file-name", "valid-key-without-names",
            "valid-key-crlf-bom-fakepath", "valid-key-utf16", "sec1-key-with-ec-parameters"})
    void valid_seeds_reach_the_target_as_accepted_keys(String seed) throws Exception {
        Upload upload = Upload.from(FuzzedDataProviderImpl.withJavaData(seedBytes(seed)));
        ApiKey key = ApiKeyFile.parse(upload.content(), upload.fileName(), upload.expectedKeyId());
        if (upload.fileName() != null) {
            assertThat(key.keyId()).isEqualTo("ABC1234567");
        }
    }

    private static byte[] seedBytes(String name) throws IOException {
        String path = "ApiKeyFileFuzzTestInputs/returns_a_key_or_explains_the_refusal_without_quoting_the_file/" + name;
        try (InputStream in = ApiKeyFileFuzzTest.class.getResourceAsStream(path)) {
            assertThat(in).as("seed " + path).isNotNull();
            return in.readAllBytes();
        }
    }

    /**
     * A base64-looking run of {@value #LEAK_RUN} characters of {@code message} that also occurs in the
     * upload, as text in any encoding the check reads or as the base64 of its bytes, and that the file
     * name or key id (which messages may name) do not explain; null when there is none.
     */
    static String quotedRun(String message, byte[] file, String fileName, String keyId) {
        List<String> views = new ArrayList<>();
        views.add(new String(file, StandardCharsets.ISO_8859_1));
        views.add(new String(file, StandardCharsets.UTF_16LE));
        views.add(new String(file, StandardCharsets.UTF_16BE));
        views.add(Base64.getEncoder().encodeToString(file));
        for (int start = 0; start + LEAK_RUN <= message.length(); start++) {
            String window = message.substring(start, start + LEAK_RUN);
            if (!window.chars().allMatch(ApiKeyFileFuzzTest::isBase64)) {
                continue;
            }
            // Key ids are shown upper-cased, whatever case the name or the ticket had.
            String upper = window.toUpperCase(Locale.ROOT);
            boolean named = (fileName != null && fileName.toUpperCase(Locale.ROOT).contains(upper))
                    || (keyId != null && keyId.toUpperCase(Locale.ROOT).contains(upper));
            if (!named && views.stream().anyMatch(v -> v.contains(window))) {
                return window;
            }
        }
        return null;
    }

    private static boolean isBase64(int c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }
}
