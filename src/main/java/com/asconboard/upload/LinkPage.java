package com.asconboard.upload;

import com.asconboard.i18n.Message;
import com.asconboard.ticket.Field;
import com.asconboard.ticket.TicketDetails;
import java.time.Instant;
import java.util.List;

/**
 * What {@code GET /upload/{token}} shows, and its status endpoint tells. Reading it changes nothing.
 * <ul>
 * <li>{@link State#FORM}: the upload form, asking next to the file for the details in {@code asked} (prefilled
 * from {@code details}); {@code message} is Apple's rejection of the previous key, or null;</li>
 * <li>{@link State#CHECKING}: a key came through and Apple is being asked;</li>
 * <li>{@link State#VERIFIED}: Apple accepts the key; {@code toDo} is what is left on the customer's side;</li>
 * <li>{@link State#STORED}: the key is stored but Apple could not tell ({@code message} says what next);</li>
 * <li>{@link State#REFUSED}: why nothing can be done here ({@code kind} and {@code message}).</li>
 * </ul>
 */
public record LinkPage(State state, UploadResult.Kind kind, String customer, String expectedKeyId,
        Instant expiresAt, Message message, List<Field> asked, TicketDetails details, List<StillToDo> toDo) {

    public enum State { FORM, CHECKING, VERIFIED, STORED, REFUSED }

    public LinkPage {
        asked = asked == null ? List.of() : List.copyOf(asked);
        toDo = toDo == null ? List.of() : List.copyOf(toDo);
    }

    static LinkPage refused(UploadResult.Kind kind, String customer, Message message) {
        return new LinkPage(State.REFUSED, kind, customer, null, null, message, null, null, null);
    }

    public boolean showsForm() {
        return state == State.FORM;
    }

    /** The HTTP status the page is answered with. */
    public int status() {
        return state == State.REFUSED ? kind.status() : 200;
    }
}
