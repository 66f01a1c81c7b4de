package com.asconboard.upload;

import com.asconboard.i18n.Message;
import com.asconboard.ticket.DetailsForm;
import com.asconboard.ticket.Field;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketDetails;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What only the customer knows, asked next to the file: the details the ticket lacks (Issuer ID, Team ID, Team
 * Name), and the Issuer ID again after Apple did not accept the key with it. Checked as the Slack form checks them.
 */
final class CustomerDetails {
    private CustomerDetails() {
    }

    /** The fields the page asks for, in the page's order. */
    static List<Field> asked(UploadLink link, Ticket ticket) {
        TicketDetails details = ticket.details();
        List<Field> asked = new ArrayList<>();
        if (details.issuerId() == null || link.verdict() == Verdict.KEY_REJECTED) {
            asked.add(Field.ISSUER_ID);
        }
        if (details.teamId() == null) {
            asked.add(Field.TEAM_ID);
        }
        if (details.teamName() == null) {
            asked.add(Field.TEAM_NAME);
        }
        return asked;
    }

    /**
     * Checks what was entered ({@code entered}: a field the request did not carry is absent, one left blank is
     * not entered); only the fields the page asks for are taken. The Issuer ID, when the ticket lacks it, must be
     * given if the form carried its field: without it Apple cannot be asked. Puts the normalised values that
     * change the ticket into {@code values}; returns the problems, one per field.
     */
    static Map<Field, Message> check(UploadLink link, Ticket ticket, Map<Field, String> entered,
            Map<Field, String> values) {
        Map<Field, String> taken = new EnumMap<>(Field.class);
        for (Field field : asked(link, ticket)) {
            if (entered.containsKey(field)) {
                taken.put(field, entered.get(field));
            }
        }
        DetailsForm.Result result = DetailsForm.checkEntered(ticket.details(), taken);
        Map<Field, Message> errors = new EnumMap<>(Field.class);
        errors.putAll(result.errors());
        String issuerId = taken.get(Field.ISSUER_ID);
        if (ticket.details().issuerId() == null && taken.containsKey(Field.ISSUER_ID)
                && (issuerId == null || issuerId.isBlank())) {
            errors.put(Field.ISSUER_ID, Message.of("details.issuer_id.required"));
        }
        if (errors.isEmpty()) {
            for (Field field : taken.keySet()) {
                String value = field.valueIn(result.details());
                if (value != null && !value.equals(field.valueIn(ticket.details()))) {
                    values.put(field, value);
                }
            }
        }
        return errors;
    }
}
