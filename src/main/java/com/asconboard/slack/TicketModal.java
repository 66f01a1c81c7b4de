package com.asconboard.slack;

import static com.slack.api.model.block.Blocks.input;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;
import static com.slack.api.model.block.element.BlockElements.plainTextInput;
import static com.slack.api.model.block.element.BlockElements.usersSelect;
import static com.slack.api.model.view.Views.view;
import static com.slack.api.model.view.Views.viewClose;
import static com.slack.api.model.view.Views.viewSubmit;
import static com.slack.api.model.view.Views.viewTitle;

import com.asconboard.ticket.DetailsForm;
import com.asconboard.ticket.Field;
import com.asconboard.ticket.Ticket;
import com.asconboard.ticket.TicketDetails;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.view.View;
import com.slack.api.model.view.ViewState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The onboarding form: the same inputs for a new ticket and for editing one, prefilled then. */
final class TicketModal {
    private static final Map<Field, String> HINTS = Map.of(
            Field.CUSTOMER, "The company whose App Store Connect account this is.",
            Field.TEAM_NAME, "As shown in the customer's Apple Developer account, under Membership details.",
            Field.TEAM_ID, "10 letters or digits, e.g. A1B2C3D4E5 (Membership details).",
            Field.ISSUER_ID, "A UUID shown above the keys in Users and Access → Integrations.",
            Field.KEY_ID, "10 letters or digits; the key file is AuthKey_<Key ID>.p8.");

    private static final java.util.regex.Pattern USER_ID = java.util.regex.Pattern.compile("[UW][A-Z0-9]{2,30}");

    private TicketModal() {
    }

    static View newOnboarding(String channelId) {
        return form(SlackIds.NEW_ONBOARDING, "New onboarding", "Create", channelId, null);
    }

    /**
     * The form prefilled, with the ticket's owner below the five inputs; it carries the details' version, so that
     * saving it over newer details is refused.
     */
    static View edit(Ticket ticket) {
        View view = form(SlackIds.EDIT_DETAILS, "Edit " + ticket.key(), "Save", ticket.id() + ":"
                + ticket.detailsVersion(), ticket.details());
        List<LayoutBlock> blocks = new ArrayList<>(view.getBlocks());
        blocks.add(input(i -> i
                .blockId(SlackIds.OWNER_BLOCK)
                .label(plainText("Owner"))
                .optional(true)
                .hint(plainText("The engineer reminders mention; the opener unless changed."))
                .element(usersSelect(u -> u.actionId(SlackIds.INPUT_ACTION).initialUser(ticket.owner())))));
        view.setBlocks(blocks);
        return view;
    }

    /** The owner picked in an edit form, or null when it carries none. */
    static String owner(View view) {
        if (view.getState() == null || view.getState().getValues() == null) {
            return null;
        }
        Map<String, ViewState.Value> block = view.getState().getValues().get(SlackIds.OWNER_BLOCK);
        ViewState.Value value = block == null ? null : block.get(SlackIds.INPUT_ACTION);
        String user = value == null ? null : value.getSelectedUser();
        // A Slack user ID; anything else is ignored rather than stored or shown.
        return user != null && USER_ID.matcher(user).matches() ? user : null;
    }

    /** The ticket and the details' version an edit form was opened with; version -1 when it carries none. */
    record Edited(long ticketId, int version) {
        static Edited parse(String metadata) {
            if (metadata == null) {
                return new Edited(-1, -1);
            }
            int colon = metadata.indexOf(':');
            long id = Ticket.parseKey(colon < 0 ? metadata : metadata.substring(0, colon));
            int version = -1;
            if (colon >= 0) {
                try {
                    version = Integer.parseInt(metadata.substring(colon + 1));
                } catch (NumberFormatException e) {
                    version = -1;
                }
            }
            return new Edited(id, version);
        }
    }

    /** The block id of a field's input, also the key of its inline error. */
    static String blockId(Field field) {
        return field.name().toLowerCase(Locale.ROOT);
    }

    /** What the user typed, per field (null where empty). */
    static Map<Field, String> values(View view) {
        Map<Field, String> values = new EnumMap<>(Field.class);
        if (view.getState() == null || view.getState().getValues() == null) {
            return values;
        }
        Map<String, Map<String, ViewState.Value>> state = view.getState().getValues();
        for (Field field : Field.values()) {
            Map<String, ViewState.Value> block = state.get(blockId(field));
            ViewState.Value value = block == null ? null : block.get(SlackIds.INPUT_ACTION);
            values.put(field, value == null ? null : value.getValue());
        }
        return values;
    }

    /** Inline errors keyed by block id, as {@code response_action: errors} expects. */
    static Map<String, String> errors(Map<Field, String> errors) {
        Map<String, String> byBlock = new LinkedHashMap<>();
        errors.forEach((field, message) -> byBlock.put(blockId(field), message));
        return byBlock;
    }

    private static View form(String callbackId, String title, String submit, String metadata, TicketDetails prefill) {
        List<LayoutBlock> blocks = new ArrayList<>();
        for (Field field : Field.values()) {
            String initial = prefill == null ? null : valueOf(prefill, field);
            blocks.add(input(i -> i
                    .blockId(blockId(field))
                    .label(plainText(field.label()))
                    .optional(field != Field.CUSTOMER)
                    .hint(plainText(HINTS.get(field)))
                    .element(plainTextInput(p -> p
                            .actionId(SlackIds.INPUT_ACTION)
                            .initialValue(initial)
                            .maxLength(DetailsForm.MAX_NAME_LENGTH)))));
        }
        return view(v -> v
                .type("modal")
                .callbackId(callbackId)
                .privateMetadata(metadata)
                .title(viewTitle(t -> t.type("plain_text").text(title)))
                .submit(viewSubmit(s -> s.type("plain_text").text(submit)))
                .close(viewClose(c -> c.type("plain_text").text("Cancel")))
                .blocks(blocks));
    }

    private static String valueOf(TicketDetails details, Field field) {
        return switch (field) {
            case CUSTOMER -> details.customer();
            case TEAM_NAME -> details.teamName();
            case TEAM_ID -> details.teamId();
            case ISSUER_ID -> details.issuerId();
            case KEY_ID -> details.keyId();
        };
    }
}
