package com.asconboard.asc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * App Store Connect answers in the shapes real ones were recorded in (own values), from
 * {@code src/test/resources/com/asconboard/asc/recorded/}.
 */
final class Recorded {
    private Recorded() {
    }

    static String body(String name) {
        try (InputStream in = Recorded.class.getResourceAsStream("recorded/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no recorded answer " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(String name) {
        return body(name).lines().filter(l -> !l.isBlank()).toList();
    }

    /** The exception the client raises for this recorded error answer to a GET of {@code pathAndQuery}. */
    static AscException error(int status, String name, String pathAndQuery) {
        return AscClient.error("GET", pathAndQuery, status, body(name));
    }

    static AscException error(int status, String name) {
        return error(status, name, "/v1/apps?limit=1");
    }
}
