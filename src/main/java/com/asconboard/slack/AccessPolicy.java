package com.asconboard.slack;

import java.util.Set;

/** Who may use the bot: everyone, unless allowed channels or users are configured. */
record AccessPolicy(Set<String> allowedChannels, Set<String> allowedUsers) {
    static final String REFUSAL = "Sorry, asc-onboard is not enabled for you here. "
            + "Ask your workspace admin to add you or this channel to its allowed list.";

    boolean allows(String userId, String channelId) {
        boolean userOk = allowedUsers.isEmpty() || allowedUsers.contains(userId);
        boolean channelOk = allowedChannels.isEmpty() || allowedChannels.contains(channelId);
        return userOk && channelOk;
    }
}
