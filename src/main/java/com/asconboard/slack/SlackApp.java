package com.asconboard.slack;

import com.asconboard.config.Settings;
import com.asconboard.certs.CertificateService;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.VerificationService;
import com.asconboard.upload.UploadLinks;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import java.util.concurrent.ExecutorService;

/** Builds the Bolt app: the slash command, the form and the status-message buttons. */
public final class SlackApp {
    private SlackApp() {
    }

    /** A Slack client whose Web API calls go to {@code SLACK_API_URL}. */
    public static Slack client(Settings settings) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(settings.slackApiUrl().toString());
        return Slack.getInstance(config);
    }

    public static App create(Settings settings, Slack slack, OnboardingService onboarding, UploadLinks uploads,
            VerificationService verifications, CertificateService certificates, SlackNotifier notifier,
            ExecutorService executor) {
        AppConfig config = AppConfig.builder()
                .slack(slack)
                .singleTeamBotToken(settings.slackBotToken())
                .signingSecret(settings.slackSigningSecret())
                // The token is checked once at start; a per-request auth.test would cost a Slack round trip
                // before the ack.
                .authTestCacheEnabled(true)
                .authTestCacheExpirationMillis(-1)
                .build();
        App app = new App(config);
        AccessPolicy access = new AccessPolicy(settings.allowedChannels(), settings.allowedUsers());
        Background background = new Background(executor, notifier);
        app.command(SlackIds.COMMAND, new OnboardCommand(onboarding, access, background, notifier));
        FormSubmission submission = new FormSubmission(onboarding, verifications, access, background,
                notifier);
        app.viewSubmission(SlackIds.NEW_ONBOARDING, submission);
        app.viewSubmission(SlackIds.EDIT_DETAILS, submission);
        new TicketButtons(onboarding, access, background, notifier, uploads, verifications, certificates,
                settings.vendorName())
                .register(app);
        return app;
    }
}
