package com.asconboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A POST written by hand on a socket, as a plain client on a real network sends it: the headers, then the body
 * in pieces with pauses between them (chunked or not), then the answer read until the server closes. A server
 * that closes while the body is still being sent makes the write ("broken pipe") or the read ("connection
 * reset") fail here; one that waits for more than was sent makes the read time out. Without the pauses, on
 * loopback the whole body would sit in the socket buffers before the server answers, and a server that does not
 * read it would go unnoticed.
 */
public final class PacedPost {
    public static final int PIECE = 4096;

    /** The answer: its status, its head (status line and headers) and its body. */
    public record Answer(int status, String head, String body) {
    }

    private final int port;
    private final String target;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body;
    private boolean chunked;
    private boolean lastChunk = true;
    private int piecesPerPause = 1;
    private Duration readTimeout = Duration.ofSeconds(15);

    private PacedPost(int port, String target) {
        this.port = port;
        this.target = target;
    }

    /** A POST to {@code target} (path and query) on the bot listening on {@code port} of the loopback. */
    public static PacedPost to(int port, String target) {
        return new PacedPost(port, target);
    }

    public PacedPost header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The body to send; none by default (a declared Content-Length is then never honoured). */
    public PacedPost body(byte[] body) {
        this.body = body;
        return this;
    }

    /** Sent with {@code Transfer-Encoding: chunked}, one chunk per piece. */
    public PacedPost chunked() {
        this.chunked = true;
        return this;
    }

    /** Chunked, and the last (empty) chunk is never sent: the body looks endless to the server. */
    public PacedPost withoutLastChunk() {
        this.chunked = true;
        this.lastChunk = false;
        return this;
    }

    /** Pauses after every {@code pieces} pieces instead of after each one, for large bodies. */
    public PacedPost pausingEvery(int pieces) {
        this.piecesPerPause = pieces;
        return this;
    }

    /** How long the answer may take (15 s by default): longer means the server waits for more than was sent. */
    public PacedPost readTimeout(Duration readTimeout) {
        this.readTimeout = readTimeout;
        return this;
    }

    public Answer send() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            StringBuilder head = new StringBuilder("POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append(chunked ? "Transfer-Encoding: chunked\r\n" : "").append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            int pieces = 0;
            for (int at = 0; body != null && at < body.length; at += PIECE) {
                int n = Math.min(PIECE, body.length - at);
                if (chunked) {
                    out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                out.write(body, at, n);
                if (chunked) {
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
                if (++pieces % piecesPerPause == 0) {
                    pause();
                }
            }
            if (body != null && chunked && lastChunk) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = response.indexOf("\r\n\r\n");
            assertThat(split).as("a whole answer: " + response).isPositive();
            return new Answer(Integer.parseInt(response.substring(9, 12)), response.substring(0, split),
                    response.substring(split + 4));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
