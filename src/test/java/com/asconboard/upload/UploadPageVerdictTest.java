package com.asconboard.upload;

import static org.assertj.core.api.Assertions.assertThat;

import com.asconboard.i18n.Language;
import com.asconboard.i18n.Message;
import com.asconboard.ticket.DetailsForm;
import com.asconboard.ticket.Field;
import com.asconboard.ticket.TicketDetails;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The page rendered directly: what it shows once Apple accepts the key (what is still to do, or that nothing is),
 * how a refused file and a failure of our own read, the limits on the details' inputs, and the hashes that let
 * the browser run the page's own style and script.
 */
class UploadPageVerdictTest {
    static final String VENDOR = "Vendor Co";
    static final String VENDOR_APPLE_ID = "builds@vendor.example";
    // Built for each test: the policy is computed when a page is built.
    final UploadPage page = new UploadPage(VENDOR, null);
    final UploadPage pageNamingTheUser = new UploadPage(VENDOR, VENDOR_APPLE_ID);

    static LinkPage verified(StillToDo... toDo) {
        return new LinkPage(LinkPage.State.VERIFIED, UploadResult.Kind.ACCEPTED, "Acme Ltd", null, null, null, null,
                null, List.of(toDo));
    }

    static LinkPage form(List<Field> asked) {
        return new LinkPage(LinkPage.State.FORM, UploadResult.Kind.ACCEPTED, "Acme Ltd", "ABC1234567",
                Instant.parse("2026-12-01T10:00:00Z"), null, asked, new TicketDetails("Acme Ltd", null, null, null,
                        "ABC1234567"), null);
    }

    /** The {@code <input>} tag of the field named {@code name}. */
    static String input(String html, String name) {
        int at = html.indexOf("name=\"" + name + "\"");
        assertThat(at).as("an input named " + name).isPositive();
        return html.substring(html.lastIndexOf("<input", at), html.indexOf('>', at) + 1);
    }

    @Test
    void a_verified_key_with_nothing_left_says_nothing_more_is_needed_and_lists_no_tasks() {
        String html = page.verified(Language.EN, verified());

        assertThat(html).contains("<h1>Apple accepts your key</h1>",
                "Apple accepts the key: Vendor Co can now work with your App Store Connect account.",
                "Nothing more is needed from you. You can close this page.")
                .doesNotContain("Still to do on your side", "todo-title", "<p class=\"hint\">");
    }

    @Test
    void a_verified_key_lists_what_is_still_to_do_and_not_that_nothing_is() {
        String html = page.verified(Language.EN, verified(StillToDo.FREE_SLOT));

        assertThat(html).contains("<h2 id=\"todo-title\">Still to do on your side</h2>",
                "<li>All distribution-certificate slots of your team are in use")
                .doesNotContain("Nothing more is needed from you");
    }

    @Test
    void the_vendor_user_to_invite_is_named_when_its_apple_id_is_configured() {
        String named = pageNamingTheUser.verified(Language.EN, verified(StillToDo.INVITE_VENDOR_USER));
        String unnamed = page.verified(Language.EN, verified(StillToDo.INVITE_VENDOR_USER));

        assertThat(named).contains("<li>In Users and Access, invite builds@vendor.example (the Vendor Co user) with "
                + "Access to Certificates");
        assertThat(unnamed).contains("<li>In Users and Access, invite the user Vendor Co gives you, with Access to "
                + "Certificates").doesNotContain(VENDOR_APPLE_ID);
    }

    @Test
    void an_invitation_waiting_for_the_vendor_is_said_aside_and_nothing_is_asked() {
        String html = page.verified(Language.EN, verified(StillToDo.VENDOR_ACCEPTS_INVITATION));

        assertThat(html).contains("<p class=\"hint\">The invitation you sent to the Vendor Co user is waiting for them "
                + "to accept it: nothing to do on your side.</p>", "Nothing more is needed from you")
                .doesNotContain("Still to do on your side");
    }

    @Test
    void a_refused_file_marks_the_file_input_invalid_and_offers_to_choose_it_again() {
        String html = page.form(Language.EN, form(List.of()), Message.of("link.tries_left", "The file is empty.", 4),
                Map.of(), Map.of());

        assertThat(html).contains("The file was not accepted", "<p><a href=\"#key\">Choose the file again</a></p>");
        assertThat(input(html, "key")).contains("aria-invalid=\"true\" aria-describedby=\"result\"");
    }

    @Test
    void a_fresh_form_marks_nothing_invalid() {
        String html = page.form(Language.EN, form(List.of()), null, Map.of(), Map.of());

        assertThat(input(html, "key")).doesNotContain("aria-invalid");
        assertThat(html).doesNotContain("Choose the file again", "role=\"alert\"");
    }

    @Test
    void a_refusal_page_offers_no_file_to_choose_again() {
        String html = page.refusal(Language.EN, "title.gone", "Acme Ltd", Message.of("link.revoked"));

        assertThat(html).contains("<h1>This link no longer works</h1>", "role=\"alert\"")
                .doesNotContain("Choose the file again", "href=\"#key\"");
    }

    @Test
    void a_failure_of_our_own_gives_a_sentence_and_the_reference_only() {
        String html = page.error(Language.EN, "ERR-7F3A9C");

        assertThat(html).contains("<h1>Something went wrong</h1>", "Something went wrong on our side, and nothing "
                + "was stored.", "give your contact at Vendor Co this error reference: ERR-7F3A9C.")
                .doesNotContain("Choose the file again", "<form");
    }

    @Test
    void the_team_name_input_takes_a_full_name_and_the_ids_take_no_more_than_64_characters() {
        String html = page.form(Language.EN, form(List.of(Field.ISSUER_ID, Field.TEAM_ID, Field.TEAM_NAME)), null,
                Map.of(), Map.of());

        assertThat(input(html, "team_name")).contains("maxlength=\"" + DetailsForm.MAX_NAME_LENGTH + "\"");
        assertThat(input(html, "team_id")).contains("maxlength=\"64\"");
        assertThat(input(html, "issuer_id")).contains("maxlength=\"64\"");
        assertThat(DetailsForm.MAX_NAME_LENGTH).isNotEqualTo(64);
    }

    @Test
    void the_steps_link_to_app_store_connect() {
        String html = page.form(Language.EN, form(List.of()), null, Map.of(), Map.of());

        assertThat(html).contains("<li>In <a href=\"https://appstoreconnect.apple.com/access/integrations/api\" "
                + "rel=\"noopener noreferrer\">App Store Connect</a>, open <em>Users and Access");
    }

    @Test
    void the_content_security_policy_allows_exactly_the_pages_own_style_and_script() throws Exception {
        String html = page.form(Language.EN, form(List.of()), null, Map.of(), Map.of());
        String style = between(html, "<style>", "</style>");
        String script = between(html, "<script>", "</script>");

        assertThat(style).isNotBlank();
        assertThat(script).isNotBlank();
        assertThat(page.contentSecurityPolicy()).contains("style-src '" + sha256(style) + "';",
                "script-src '" + sha256(script) + "';");
    }

    static String between(String html, String open, String close) {
        int start = html.indexOf(open) + open.length();
        return html.substring(start, html.indexOf(close, start));
    }

    static String sha256(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return "sha256-" + Base64.getEncoder().encodeToString(digest);
    }
}
