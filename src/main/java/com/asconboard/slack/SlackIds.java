package com.asconboard.slack;

/** Callback, block and action ids shared by the views we send and the listeners that receive them. */
final class SlackIds {
    static final String COMMAND = "/asc-onboard";

    static final String NEW_ONBOARDING = "new_onboarding";
    static final String EDIT_DETAILS = "edit_details";

    static final String INPUT_ACTION = "value";

    static final String ACTION_EDIT = "ticket_edit";
    static final String ACTION_UPLOAD_LINK = "ticket_upload_link";
    static final String ACTION_VERIFY = "ticket_verify";
    static final String ACTION_CREATE_CERTIFICATE = "ticket_create_certificate";
    static final String ACTION_CLOSE = "ticket_close";
    static final String ACTION_CONFIRM_ACCESS = "ticket_confirm_access";
    static final String ACTION_OFFBOARD = "ticket_offboard";

    /** The offboarding confirmation and its one option. */
    static final String OFFBOARD = "offboard";
    static final String OFFBOARD_OPTIONS = "offboard_options";
    static final String REVOKE_CERTIFICATE = "revoke_certificate";

    /** The Owner input of the edit form (a user picker; not one of the five contract inputs). */
    static final String OWNER_BLOCK = "owner";

    private SlackIds() {
    }
}
