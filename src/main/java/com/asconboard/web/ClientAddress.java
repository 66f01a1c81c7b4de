package com.asconboard.web;

import com.asconboard.config.Cidr;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The address of the client behind a request. {@code X-Forwarded-For} is believed only when the
 * connection comes from one of {@code TRUSTED_PROXIES}; then the right-most address in it that is not
 * itself a trusted proxy is the client (everything left of it was written by the client and may be
 * forged). From anyone else the header is ignored, so a spoofed header changes nothing.
 */
public final class ClientAddress {
    static final String ATTRIBUTE = ClientAddress.class.getName();
    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private final List<Cidr> trustedProxies;

    public ClientAddress(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * The client's address for this request as the server's filter found it, or the connection's peer
     * when the request did not pass through the filter.
     */
    public static String of(HttpServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof String address ? address : request.getRemoteAddr();
    }

    /**
     * @param peer         the address the connection comes from
     * @param forwardedFor every {@code X-Forwarded-For} header of the request, in order
     */
    String resolve(String peer, List<String> forwardedFor) {
        if (!isTrusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        String nearest = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = withoutPort(hops.get(i));
            if (!Cidr.isAddressLiteral(hop)) {
                // A trusted proxy writes addresses; anything else came from further out and says nothing.
                return nearest;
            }
            if (!isTrusted(hop)) {
                return hop;
            }
            nearest = hop;
        }
        // Only proxies: the farthest one is as near to the client as can be told.
        return nearest;
    }

    /** The servlet filter that records each request's client address for {@link #of}. */
    Filter filter() {
        return (request, response, chain) -> {
            if (request instanceof HttpServletRequest http) {
                List<String> headers = isTrusted(http.getRemoteAddr())
                        ? Collections.list(http.getHeaders(FORWARDED_FOR)) : List.of();
                http.setAttribute(ATTRIBUTE, resolve(http.getRemoteAddr(), headers));
            }
            chain.doFilter(request, response);
        };
    }

    private boolean isTrusted(String address) {
        byte[] bytes = Cidr.literal(address);
        if (bytes == null) {
            return false;
        }
        for (Cidr proxy : trustedProxies) {
            if (proxy.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /** Some proxies write {@code 203.0.113.7:51234} or {@code [2001:db8::1]:51234}. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close > 0 ? hop.substring(1, close) : hop;
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }
}
