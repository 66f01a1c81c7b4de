package com.asconboard.slack;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.impl.MethodsClientImpl;
import com.slack.api.util.json.GsonFactory;
import java.io.IOException;
import okhttp3.FormBody;
import okhttp3.Response;

/**
 * The Slack SDK's Web API client, except that responses are parsed with one shared Gson. The SDK
 * builds a new Gson, and with it every reflective type adapter, for each response it parses; for the
 * bot that was the largest single cost of delivering a message. Errors are reported exactly as the
 * SDK reports them: a non-2xx answer is a {@link SlackApiException} carrying the response.
 */
final class SharedGsonMethodsClient extends MethodsClientImpl {
    private final SlackConfig config;
    /** Gson is thread-safe; its adapters are built once per type and cached. */
    private final Gson gson;

    SharedGsonMethodsClient(Slack slack, String token) {
        super(slack.getHttpClient(), token);
        this.config = slack.getConfig();
        setEndpointUrlPrefix(config.getMethodsEndpointUrlPrefix());
        this.gson = GsonFactory.createSnakeCase(config);
    }

    @Override
    protected <T extends SlackApiTextResponse> T postFormWithTokenAndParseResponse(FormBody.Builder form,
            String methodName, String token, Class<T> type) throws IOException, SlackApiException {
        try (Response response = postFormWithToken(form, methodName, token)) {
            String body = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw new SlackApiException(config, response, body);
            }
            T parsed = gson.fromJson(body, type);
            if (parsed == null) {
                throw new IOException(methodName + " answered with an empty body");
            }
            parsed.setHttpResponseHeaders(response.headers().toMultimap());
            return parsed;
        } catch (com.google.gson.JsonParseException e) {
            throw new IOException(methodName + " answered with a body that is not JSON", e);
        }
    }
}
