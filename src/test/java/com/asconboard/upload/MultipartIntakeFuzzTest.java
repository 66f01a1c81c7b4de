package com.asconboard.upload;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The multipart intake of {@code POST /upload/{token}} never throws, whatever the browser or an
 * attacker sends: a bad body is a 400 with a sentence, never a 500.
 *
 * <p>Input layout: the Content-Type header, a backslash and a newline, then the body. An empty
 * Content-Type stands for none. Seeds live in {@code MultipartIntakeFuzzTestInputs/<method>/}.
 */
class MultipartIntakeFuzzTest {

    @FuzzTest
    void reads_any_body_without_throwing(FuzzedDataProvider data) {
        String contentType = data.consumeString(500);
        byte[] body = data.consumeRemainingAsBytes();
        // The body is capped before parsing, as the servlet does.
        if (body.length > UploadServlet.MAX_BODY) {
            return;
        }
        UploadServlet.parse(contentType.isEmpty() ? null : contentType, body);
    }
}
