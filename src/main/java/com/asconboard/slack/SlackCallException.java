package com.asconboard.slack;

import com.asconboard.ticket.DeliveryException;
import java.time.Duration;
import java.util.Set;

/** A Slack Web API call failed; the message names the method and Slack's error code. */
final class SlackCallException extends DeliveryException {
    /** Slack's errors that go away by themselves: worth trying again later. */
    private static final Set<String> TRANSIENT = Set.of("ratelimited", "internal_error", "fatal_error",
            "service_unavailable", "request_timeout", "team_added_to_org");

    private final String error;

    SlackCallException(String method, String error, Throwable cause) {
        this(method, error, TRANSIENT.contains(error), null, cause);
    }

    SlackCallException(String method, String error, boolean retryable, Duration retryAfter, Throwable cause) {
        super(method + " failed: " + error + hint(error), retryable, retryAfter, cause);
        this.error = error;
    }

    String error() {
        return error;
    }

    private static String hint(String error) {
        return switch (error) {
            case "not_in_channel", "channel_not_found" ->
                    " (invite the bot to the channel with /invite, then try again)";
            case "invalid_auth", "not_authed", "token_revoked", "account_inactive" ->
                    " (check SLACK_BOT_TOKEN)";
            case "missing_scope" -> " (reinstall the app from manifest.yml to grant its scopes)";
            default -> "";
        };
    }
}
