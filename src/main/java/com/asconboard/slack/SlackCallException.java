package com.asconboard.slack;

/** A Slack Web API call failed; the message names the method and Slack's error code. */
final class SlackCallException extends RuntimeException {
    private final String error;

    SlackCallException(String method, String error, Throwable cause) {
        super(method + " failed: " + error + hint(error), cause);
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
