package com.asconboard.store;

import com.asconboard.asc.VerificationReport;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.time.Instant;

/** Verification reports as JSON text in the database. A report holds no secret. */
final class ReportCodec {
    private static final Gson GSON = new GsonBuilder()
            .registerTypeAdapter(Instant.class, new TypeAdapter<Instant>() {
                @Override
                public void write(JsonWriter out, Instant value) throws IOException {
                    if (value == null) {
                        out.nullValue();
                    } else {
                        out.value(value.toString());
                    }
                }

                @Override
                public Instant read(JsonReader in) throws IOException {
                    if (in.peek() == JsonToken.NULL) {
                        in.nextNull();
                        return null;
                    }
                    return Instant.parse(in.nextString());
                }
            })
            .create();

    private ReportCodec() {
    }

    static String encode(VerificationReport report) {
        return GSON.toJson(report);
    }

    /** The report, or null when there is none or it cannot be read (e.g. written by a newer version). */
    static VerificationReport decode(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return GSON.fromJson(json, VerificationReport.class);
        } catch (JsonParseException | IllegalArgumentException | java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
