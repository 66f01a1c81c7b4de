package com.asconboard.slack;

import com.asconboard.config.Settings;
import com.asconboard.certs.CertificateService;
import com.asconboard.ticket.Fleet;
import com.asconboard.ticket.HomeViews;
import com.asconboard.ticket.Offboarding;
import com.asconboard.ticket.OnboardingService;
import com.asconboard.ticket.TicketChanges;
import com.asconboard.ticket.VerificationService;
import com.asconboard.upload.UploadLinks;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.request.RequestType;
import com.slack.api.bolt.response.Response;
import com.slack.api.methods.MethodsClient;
import com.slack.api.model.event.AppHomeOpenedEvent;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/** Builds the Bolt app: the slash command, the forms, the status-message buttons and the Home tab. */
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

    /** The workspace the bot token belongs to (auth.test): only its members use the bot. */
    static Access.Workspace installedWorkspace(MethodsClient methods) {
        try {
            var answer = methods.authTest(r -> r);
            if (!answer.isOk()) {
                throw new IllegalStateException("Slack refused the bot token (auth.test: " + answer.getError()
                        + "); check SLACK_BOT_TOKEN");
            }
            return new Access.Workspace(answer.getTeamId(), answer.getEnterpriseId(), answer.getUrl());
        } catch (java.io.IOException | com.slack.api.methods.SlackApiException e) {
            throw new IllegalStateException("could not reach Slack to check the bot token (auth.test): "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** What the Slack side acts through. */
    public record Services(OnboardingService onboarding, TicketChanges changes, UploadLinks uploads,
            VerificationService verifications, CertificateService certificates, Offboarding offboarding, Fleet fleet,
            HomeViews homeViews) {
    }

    /** The Bolt app, and the Home tab whose views the housekeeping refreshes. */
    public record Built(App app, HomeTab home) {
    }

    /** The app; asks Slack (auth.test) which workspace the bot token belongs to: only its members use the bot. */
    public static Built create(Settings settings, Slack slack, Services services, SlackNotifier notifier,
            ExecutorService executor, com.slack.api.bolt.middleware.Middleware timing) {
        OnboardingService onboarding = services.onboarding();
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
        // First, so that requests refused below are timed and counted too.
        app.use(timing);
        // Slack always says who typed or clicked; a signed request that does not would act for nobody (open a
        // form, close a ticket), so it is refused before any listener. Runs after the signature check.
        app.use((req, resp, chain) -> ACTED_BY_A_USER.contains(req.getRequestType())
                && req.getContext().getRequestUserId() == null
                ? Response.builder().statusCode(400).contentType("text/plain; charset=utf-8").body("Invalid Request")
                        .build()
                : chain.next(req));
        Access access = new Access(settings.allowedChannels(), settings.allowedUsers(), settings.adminUsers(),
                installedWorkspace(methods(slack, settings.slackBotToken())));
        Background background = new Background(executor, notifier);
        app.command(SlackIds.COMMAND, new OnboardCommand(onboarding, access, background, notifier));
        FormSubmission submission = new FormSubmission(onboarding, access);
        app.viewSubmission(SlackIds.NEW_ONBOARDING, submission);
        app.viewSubmission(SlackIds.EDIT_DETAILS, submission);
        app.viewSubmission(SlackIds.OFFBOARD, new OffboardDialog(onboarding, services.offboarding(), access));
        new TicketButtons(onboarding, services.changes(), access, background, notifier, services.uploads(),
                services.verifications(), services.certificates(), services.offboarding()).register(app);
        // Served alike over HTTP (Events API) and Socket Mode.
        HomeTab home = new HomeTab(notifier, services.fleet(), services.homeViews(), access, background,
                notifier.clock());
        app.event(AppHomeOpenedEvent.class, home);
        return new Built(app, home);
    }
}
