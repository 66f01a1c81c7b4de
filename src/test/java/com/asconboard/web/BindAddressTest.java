package com.asconboard.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.asconboard.AscOnboard;
import com.asconboard.testing.FakeSlack;
import com.asconboard.testing.TestBot;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BindAddressTest {
    /** Another loopback address: Linux routes all of 127.0.0.0/8 to this machine. */
    static final String OTHER_LOOPBACK = "127.0.0.2";

    @TempDir
    Path dir;

    @Test
    void bound_to_127_0_0_1_the_bot_answers_there_and_nowhere_else() throws Exception {
        assumeTrue(wildcardIsReachableOn(OTHER_LOOPBACK), OTHER_LOOPBACK + " is not a local address here");
        try (FakeSlack slack = new FakeSlack()) {
            Map<String, String> env = TestBot.environment(slack, dir);
            env.put("BIND_ADDRESS", "127.0.0.1");
            try (AscOnboard bot = TestBot.start(env, Clock.systemUTC())) {
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + bot.port() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(200);

                assertThatThrownBy(() -> connect(OTHER_LOOPBACK, bot.port())).isInstanceOf(ConnectException.class);
            }
        }
    }

    /** Whether a server listening on every interface can be reached at {@code address}. */
    static boolean wildcardIsReachableOn(String address) {
        try (ServerSocket wildcard = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            connect(address, wildcard.getLocalPort());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void connect(String address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
        }
    }
}
