package com.asconboard.ticket;

/** A ticket to open: the workspace and channel it belongs to, who asked for it and the form's details. */
public record Opening(String workspaceId, String channelId, String actor, TicketDetails details) {
}
