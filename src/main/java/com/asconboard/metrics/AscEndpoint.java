package com.asconboard.metrics;

import java.util.regex.Pattern;

/**
 * The path template of an App Store Connect call, for a metric tag: {@code /v1/certificates/8X2Q9A?limit=200}
 * becomes {@code /v1/certificates/{id}}. Resource names are lower camel case words; anything else in a path
 * is an identifier and would give every certificate, user or app a series of its own.
 */
final class AscEndpoint {
    private static final Pattern VERSION = Pattern.compile("v[0-9]{1,2}");
    private static final Pattern RESOURCE = Pattern.compile("[a-z][A-Za-z]{0,59}");

    private AscEndpoint() {
    }

    static String template(String path) {
        int query = path.indexOf('?');
        String bare = query < 0 ? path : path.substring(0, query);
        StringBuilder template = new StringBuilder();
        for (String segment : bare.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            template.append('/');
            template.append(VERSION.matcher(segment).matches() || RESOURCE.matcher(segment).matches()
                    ? segment : "{id}");
        }
        return template.length() == 0 ? "/" : template.toString();
    }
}
