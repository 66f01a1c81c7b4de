package com.asconboard.bench;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The baseline: a minimal Bolt app with the bot's three listeners (slash command, form submission,
 * button) that only ack, in the same Jetty 12 ee10 + bolt-jakarta-servlet hosting, plus a trivial
 * {@code /healthz}. Bolt is configured as the bot configures it (single-team token, auth.test checked
 * once at start and cached), so the difference measured is the bot's own work before the ack.
 * Reads PORT, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_API_URL.
 */
public final class BareBoltApp {
    /** As long as the bot's help text, so both acks carry a body of the same size. */
    static final String HELP = """
            *asc-onboard* runs the App Store Connect access hand-over with a customer.
            • `/asc-onboard` or `/asc-onboard new` — open a new onboarding ticket
            • `/asc-onboard list` — open tickets in this workspace, newest first
            • `/asc-onboard status ASC-<n>` — where a ticket stands
            • `/asc-onboard help` — this help""";

    private BareBoltApp() {
    }

    public static void main(String[] args) throws Exception {
        SlackConfig slackConfig = new SlackConfig();
        slackConfig.setMethodsEndpointUrlPrefix(System.getenv("SLACK_API_URL"));
        App app = new App(AppConfig.builder()
                .slack(Slack.getInstance(slackConfig))
                .singleTeamBotToken(System.getenv("SLACK_BOT_TOKEN"))
                .signingSecret(System.getenv("SLACK_SIGNING_SECRET"))
                .authTestCacheEnabled(true)
                .authTestCacheExpirationMillis(-1)
                .build());
        app.command("/asc-onboard", (req, ctx) -> ctx.ack(r -> r.responseType("ephemeral").text(HELP)));
        app.viewSubmission("new_onboarding", (req, ctx) -> ctx.ack());
        app.blockAction("ticket_create_certificate", (req, ctx) -> ctx.ack());
        app.start();

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(System.getenv("PORT")));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new SlackAppServlet(app)), "/slack/events");
        context.addServlet(new ServletHolder(new Health()), "/healthz");
        server.setHandler(context);
        server.start();
        server.join();
    }

    static final class Health extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(HttpServletResponse.SC_OK);
            resp.setContentType("application/json");
            resp.getWriter().write("{\"status\":\"ok\"}");
        }
    }
}
