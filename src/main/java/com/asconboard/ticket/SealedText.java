package com.asconboard.ticket;

/** Opens a message that was sealed when it was queued (see {@link Outbox.Kind#LINK}). */
@FunctionalInterface
public interface SealedText {
    String open(long ticketId, byte[] sealed);
}
