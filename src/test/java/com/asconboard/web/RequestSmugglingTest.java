package com.asconboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.TestBot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request that a proxy in front and the bot could read differently (a chunk extension holding a bare
 * newline inside quotes) is refused whole, so no request can hide inside another's body.
 */
class RequestSmugglingTest {
    static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");

    @TempDir
    Path dir;

    @Test
    void a_bare_newline_quoted_in_a_chunk_extension_gets_400_and_no_second_response() throws Exception {
        try (FakeSlack slack = new FakeSlack(); AscOnboard bot = TestBot.start(slack, dir)) {
            // Read up to the bare newline, the chunk carries one byte and the body ends, so that a second
            // request (GET /healthz) follows; read as one quoted extension, it is all a single request.
            String smuggled = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
            String request = "POST /upload/" + "A".repeat(43) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "1;ext=\"x\nQ\r\n0\r\n\r\n" + smuggled + "\"\r\nZ\r\n0\r\n\r\n";

            String answer = exchange(bot.port(), request);

            Matcher statuses = STATUS_LINE.matcher(answer);
            assertThat(statuses.find()).as(answer).isTrue();
            assertThat(statuses.group(1)).as(answer).isEqualTo("400");
            assertThat(statuses.find()).as("a second response: " + answer).isFalse();
        }
    }

    /** Sends {@code request} byte for byte and reads until the server closes the connection. */
    static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
