package com.asconboard.slack;

/** Slack's message markup: user-supplied text must have its three control characters escaped. */
final class Mrkdwn {
    private Mrkdwn() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    static String user(String userId) {
        return "<@" + userId + ">";
    }

    static String channel(String channelId) {
        return "<#" + channelId + ">";
    }
}
