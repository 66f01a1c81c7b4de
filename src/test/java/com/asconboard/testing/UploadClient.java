package com.asconboard.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A customer's browser, minus the browser: fetches upload pages and posts key files to them. */
public final class UploadClient {
    /** What came back: status, headers of interest and the page. */
    public record Answer(int status, String body, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final OkHttpClient http = new OkHttpClient.Builder()
            .callTimeout(Duration.ofSeconds(20))
            .retryOnConnectionFailure(false)
            .build();

    public Answer get(String url) {
        return send(new Request.Builder().url(url).get().build());
    }

    /** Fetches the page with request headers such as {@code Accept-Language}. */
    public Answer get(String url, Map<String, String> headers) {
        Request.Builder request = new Request.Builder().url(url).get();
        headers.forEach(request::header);
        return send(request.build());
    }

    public Answer upload(String url, String fileName, byte[] content) {
        return upload(url, fileName, content, Map.of());
    }

    /** Posts {@code content} as the multipart field {@code key}, with extra request headers. */
    public Answer upload(String url, String fileName, byte[] content, Map<String, String> headers) {
        RequestBody body = new MultipartBody.Builder().setType(MultipartBody.FORM)
                .addFormDataPart("key", fileName, RequestBody.create(content, MediaType.get("application/octet-stream")))
                .build();
        Request.Builder request = new Request.Builder().url(url).post(body);
        headers.forEach(request::header);
        return send(request.build());
    }

    /**
     * Posts {@code content} as the file field {@code key} together with text fields (the details the page asks
     * for next to the file, e.g. {@code issuer_id}), as the page's form sends them.
     */
    public Answer uploadWith(String url, String fileName, byte[] content, Map<String, String> fields,
            Map<String, String> headers) {
        MultipartBody.Builder body = new MultipartBody.Builder().setType(MultipartBody.FORM);
        fields.forEach(body::addFormDataPart);
        body.addFormDataPart("key", fileName, RequestBody.create(content, MediaType.get("application/octet-stream")));
        Request.Builder request = new Request.Builder().url(url).post(body.build());
        headers.forEach(request::header);
        return send(request.build());
    }

    public Answer post(String url, RequestBody body, Map<String, String> headers) {
        Request.Builder request = new Request.Builder().url(url).post(body);
        headers.forEach(request::header);
        return send(request.build());
    }

    private Answer send(Request request) {
        try (Response response = http.newCall(request).execute()) {
            Map<String, String> headers = new java.util.HashMap<>();
            response.headers().forEach(h -> headers.put(h.getFirst().toLowerCase(java.util.Locale.ROOT), h.getSecond()));
            return new Answer(response.code(), response.body() == null ? "" : response.body().string(), headers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
