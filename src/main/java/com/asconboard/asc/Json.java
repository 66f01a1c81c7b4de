package com.asconboard.asc;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Tolerant reads from Apple's JSON: a missing or oddly typed member is null, never an exception. */
final class Json {
    private Json() {
    }

    static String string(JsonObject object, String member) {
        if (object == null) {
            return null;
        }
        JsonElement value = object.get(member);
        return value != null && value.isJsonPrimitive() ? value.getAsString() : null;
    }

    static Boolean bool(JsonObject object, String member) {
        if (object == null) {
            return null;
        }
        JsonElement value = object.get(member);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isBoolean()
                ? value.getAsBoolean() : null;
    }

    static JsonObject object(JsonObject object, String member) {
        if (object == null) {
            return null;
        }
        JsonElement value = object.get(member);
        return value != null && value.isJsonObject() ? value.getAsJsonObject() : null;
    }

    static JsonArray array(JsonObject object, String member) {
        if (object == null) {
            return new JsonArray();
        }
        JsonElement value = object.get(member);
        return value != null && value.isJsonArray() ? value.getAsJsonArray() : new JsonArray();
    }

    /** The {@code data} array's resource objects. */
    static java.util.List<JsonObject> resources(JsonObject document) {
        java.util.List<JsonObject> list = new java.util.ArrayList<>();
        for (JsonElement element : array(document, "data")) {
            if (element.isJsonObject()) {
                list.add(element.getAsJsonObject());
            }
        }
        return list;
    }
}
