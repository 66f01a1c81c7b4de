package com.asconboard.slack;

import com.asconboard.ticket.Ticket;
import java.util.Set;

/**
 * Who may do what. Only members of the workspace that installed the app act (external Slack Connect users
 * are refused politely); when allowed channels or users are configured, only those; a ticket's buttons act
 * only from its own channel; certificates by hand, offboarding, replacing a verified key and seeing every
 * channel's tickets are for admins ({@code ADMIN_USERS}; everyone when unset).
 */
final class Access {
    static final String NOT_ENABLED = "Sorry, asc-onboard is not enabled for you here. "
            + "Ask your workspace admin to add you or this channel to its allowed list.";
    static final String NOT_FOUND = "There is no ticket %s in this channel. See `/asc-onboard list`.";
    static final String EXTERNAL = "Sorry, asc-onboard acts only for members of the workspace that runs it. "
            + "Ask someone from that workspace to do this for you.";

    /**
     * The workspace (and, for an Enterprise Grid install, the organisation) the app is installed in, and its
     * address ({@code https://<name>.slack.com/}, from auth.test), which message links start with.
     */
    record Workspace(String teamId, String enterpriseId, String url) {
    }

    /**
     * Who clicked or typed, from where: the user, the workspace the user belongs to ({@code user.team_id}, or
     * the request's team when Slack sends no user team), the request's workspace and enterprise, the channel.
     */
    record Actor(String userId, String userTeamId, String teamId, String enterpriseId, String channelId) {
        Actor {
            if (userTeamId == null) {
                userTeamId = teamId;
            }
        }
    }

    private final Set<String> allowedChannels;
    private final Set<String> allowedUsers;
    private final Set<String> admins;
    private final Workspace installed;

    Access(Set<String> allowedChannels, Set<String> allowedUsers, Set<String> admins, Workspace installed) {
        this.allowedChannels = allowedChannels;
        this.allowedUsers = allowedUsers;
        this.admins = admins;
        this.installed = installed;
    }

    /** Why the actor may not use the bot here, or null when they may. */
    String refusal(Actor actor) {
        if (!member(actor)) {
            return EXTERNAL;
        }
        boolean userOk = allowedUsers.isEmpty() || allowedUsers.contains(actor.userId());
        boolean channelOk = allowedChannels.isEmpty() || allowedChannels.contains(actor.channelId());
        return userOk && channelOk ? null : NOT_ENABLED;
    }

    /**
     * Why the user may not see the bot's Home tab, or null when they may: members of the installing workspace
     * who are allowed users (any channel: what they see is limited to their channels' tickets).
     */
    String homeRefusal(Actor actor) {
        if (!member(actor)) {
            return EXTERNAL;
        }
        return allowedUsers.isEmpty() || allowedUsers.contains(actor.userId()) ? null : NOT_ENABLED;
    }

    /** The workspace the app is installed in. */
    Workspace installed() {
        return installed;
    }

    /** Why the actor may not act on this ticket from here, or null when they may. */
    String refusal(Actor actor, Ticket ticket) {
        String general = refusal(actor);
        if (general != null) {
            return general;
        }
        if (!ticket.workspaceId().equals(actor.teamId()) && !ticket.workspaceId().equals(actor.userTeamId())) {
            return NOT_FOUND.formatted(ticket.key());
        }
        if (!ticket.channelId().equals(actor.channelId())) {
            return ticket.key() + " belongs to another channel; use the buttons of its message there.";
        }
        return null;
    }

    boolean isAdmin(String userId) {
        return admins.isEmpty() || admins.contains(userId);
    }

    /** The admins, as Slack mentions, to say who may do what an engineer may not. */
    String adminMentions() {
        return admins.stream().sorted().map(Mrkdwn::user).reduce((a, b) -> a + ", " + b).orElse("an admin");
    }

    /** Members of the installing workspace, or of its organisation when the app is installed org-wide. */
    private boolean member(Actor actor) {
        if (installed.teamId() == null) {
            return true;
        }
        if (installed.teamId().equals(actor.userTeamId())) {
            return true;
        }
        return installed.enterpriseId() != null && installed.enterpriseId().equals(actor.enterpriseId());
    }
}
