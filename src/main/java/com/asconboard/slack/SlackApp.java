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
import com.slack.api.bolt.request.RequestType;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/** Builds the Bolt app: the slash command, the form and the status-message buttons. */
public final class SlackApp {
    private static final Set<RequestType> ACTED_BY_A_USER =
            EnumSet.of(RequestType.Command, RequestType.BlockAction, RequestType.ViewSubmission);

    private SlackApp() {
    }

    /** A Slack client whose Web API calls go to {@code SLACK_API_URL}. */
    public static Slack client(Settings settings) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(settings.slackApiUrl().toString());
        // The per-method call counters feed the SDK's rate-limit-aware async client, which the bot does not use.
        config.setStatsEnabled(false);
        return Slack.getInstance(config);
    }

    /** The Web API client the bot's own calls go through. */
    public static MethodsClient methods(Slack slack, String botToken) {
        return new SharedGsonMethodsClient(slack, botToken);
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
        // Slack always says who typed or clicked; a signed request that does not would act for nobody (open a
        // form, close a ticket), so it is refused before any listener. Runs after the signature check.
        app.use((req, resp, chain) -> ACTED_BY_A_USER.contains(req.getRequestType())
                && req.getContext().getRequestUserId() == null
                ? Response.builder().statusCode(400).contentType("text/plain; charset=utf-8").body("Invalid Request")
                        .build()
                : chain.next(req));
        AccessPolicy access = new AccessPolicy(settings.allowedChannels(), settings.allowedUsers());
        Background background = new Background(executor, notifier);
        app.command(SlackIds.COMMAND, new OnboardCommand(onboarding, access, background, notifier));
        TicketOpenings openings = new TicketOpenings(onboarding, executor, TicketOpenings.WAITING,
                (opening, e) -> background.failed("create the ticket", opening.channelId(), opening.actor(), e));
        FormSubmission submission = new FormSubmission(onboarding, verifications, access, background, openings,
                notifier);
        app.viewSubmission(SlackIds.NEW_ONBOARDING, submission);
        app.viewSubmission(SlackIds.EDIT_DETAILS, submission);
        new TicketButtons(onboarding, access, background, notifier, uploads, verifications, certificates,
                settings.vendorName())
                .register(app);
        return app;
    }
}
