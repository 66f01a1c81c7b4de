package com.asconboard.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.config.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientAddressTest {
    static final ClientAddress BEHIND_PROXIES = new ClientAddress(List.of(Cidr.parse("10.0.0.0/8"),
            Cidr.parse("192.0.2.1"), Cidr.parse("2001:db8::/32")));

    @Test
    void without_trusted_proxies_a_forwarded_header_changes_nothing() {
        ClientAddress direct = new ClientAddress(List.of());
        assertThat(direct.resolve("198.51.100.9", List.of("203.0.113.7"))).isEqualTo("198.51.100.9");
        assertThat(direct.resolve("10.1.2.3", List.of("203.0.113.7, 10.1.2.4"))).isEqualTo("10.1.2.3");
    }

    @Test
    void a_forwarded_header_from_a_peer_that_is_no_trusted_proxy_changes_nothing() {
        assertThat(BEHIND_PROXIES.resolve("198.51.100.9", List.of("203.0.113.7"))).isEqualTo("198.51.100.9");
    }

    @Test
    void from_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() {
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
        // The client wrote the left part itself; the proxy appended what it saw.
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of("1.1.1.1, 8.8.8.8, 203.0.113.7")))
                .isEqualTo("203.0.113.7");
    }

    @Test
    void a_chain_of_trusted_proxies_is_walked_through_across_headers() {
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of("6.6.6.6, 203.0.113.7", "192.0.2.1, 10.9.9.9")))
                .isEqualTo("203.0.113.7");
    }

    @Test
    void only_proxies_in_the_header_give_the_farthest_proxy() {
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of("10.0.0.7, 192.0.2.1"))).isEqualTo("10.0.0.7");
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of())).isEqualTo("10.0.0.5");
    }

    @Test
    void an_entry_that_is_no_address_stops_at_the_nearest_known_hop() {
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of("203.0.113.7, unknown"))).isEqualTo("10.0.0.5");
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of("garbage, 10.0.0.6"))).isEqualTo("10.0.0.6");
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of("example.com"))).isEqualTo("10.0.0.5");
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of(""))).isEqualTo("10.0.0.5");
    }

    @Test
    void ports_and_brackets_and_ipv6_are_understood() {
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of("203.0.113.7:51234"))).isEqualTo("203.0.113.7");
        assertThat(BEHIND_PROXIES.resolve("10.0.0.5", List.of("[2001:db9::1]:443"))).isEqualTo("2001:db9::1");
        assertThat(BEHIND_PROXIES.resolve("[2001:db8::5]", List.of("2001:db9::1, 2001:db8::6")))
                .isEqualTo("2001:db9::1");
    }
}
