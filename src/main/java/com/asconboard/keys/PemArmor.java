package com.asconboard.keys;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Finds PEM blocks in uploaded text. Armour lines are located by their markers rather than by line
 * structure, so files whose line breaks were changed, removed or re-wrapped still read correctly.
 * Bodies are decoded strictly: a character outside base64 means the file was altered.
 */
final class PemArmor {

    private static final char[] BEGIN = "-----BEGIN ".toCharArray();
    private static final char[] END = "-----END ".toCharArray();
    private static final char[] DASHES = "-----".toCharArray();
    private static final char[] COLON = {':'};

    private PemArmor() {
    }

    /** @return every block in order; the caller must {@link PemBlock#wipe() wipe} them */
    static List<PemBlock> read(char[] text) throws InvalidApiKeyException {
        List<PemBlock> blocks = new ArrayList<>();
        try {
            int pos = 0;
            int begin;
            while ((begin = indexOf(text, BEGIN, pos)) >= 0) {
                int labelStart = begin + BEGIN.length;
                int labelEnd = indexOf(text, DASHES, labelStart);
                if (labelEnd < 0 || hasLineBreak(text, labelStart, labelEnd)) {
                    throw InvalidApiKeyException.pemIncomplete(null);
                }
                String label = labelAt(text, labelStart, labelEnd);
                int bodyStart = labelEnd + DASHES.length;
                int end = indexOf(text, END, bodyStart);
                int nextBegin = indexOf(text, BEGIN, bodyStart);
                if (end < 0 || (nextBegin >= 0 && nextBegin < end)) {
                    throw InvalidApiKeyException.pemIncomplete(label);
                }
                int endLabelStart = end + END.length;
                int endLabelEnd = indexOf(text, DASHES, endLabelStart);
                if (endLabelEnd < 0 || hasLineBreak(text, endLabelStart, endLabelEnd)
                        || !label.equals(labelAt(text, endLabelStart, endLabelEnd))) {
                    throw InvalidApiKeyException.pemIncomplete(label);
                }
                blocks.add(decodeBody(text, bodyStart, end, label));
                pos = endLabelEnd + DASHES.length;
            }
            return blocks;
        } catch (InvalidApiKeyException | RuntimeException e) {
            blocks.forEach(PemBlock::wipe);
            throw e;
        }
    }

    /** True when the text is nothing but base64, i.e. a key body whose armour lines were dropped. */
    static boolean isBareBase64(char[] text) {
        int count = 0;
        for (char c : text) {
            if (isBase64(c) || c == '=') {
                count++;
            } else if (!UploadText.isSpace(c)) {
                return false;
            }
        }
        return count >= 64;
    }

    private static PemBlock decodeBody(char[] text, int start, int end, String label) throws InvalidApiKeyException {
        boolean encrypted = false;
        byte[] base64 = new byte[end - start];
        try {
            int n = 0;
            int lineStart = start;
            while (lineStart < end) {
                int lineEnd = lineStart;
                while (lineEnd < end && text[lineEnd] != '\n' && text[lineEnd] != '\r') {
                    lineEnd++;
                }
                if (indexOf(text, COLON, lineStart, lineEnd) >= 0) {
                    // RFC 1421 header such as "Proc-Type: 4,ENCRYPTED"; headers never carry key material.
                    String header = new String(text, lineStart, lineEnd - lineStart).strip();
                    encrypted |= header.startsWith("Proc-Type:") && header.contains("ENCRYPTED");
                } else {
                    for (int i = lineStart; i < lineEnd; i++) {
                        char c = text[i];
                        if (isBase64(c) || c == '=') {
                            base64[n++] = (byte) c;
                        } else if (!UploadText.isSpace(c)) {
                            throw InvalidApiKeyException.brokenBase64();
                        }
                    }
                }
                lineStart = lineEnd + 1;
            }
            return new PemBlock(label, decodeBase64(base64, n), encrypted);
        } finally {
            Arrays.fill(base64, (byte) 0);
        }
    }

    private static byte[] decodeBase64(byte[] base64, int length) throws InvalidApiKeyException {
        ByteBuffer decoded;
        try {
            decoded = Base64.getDecoder().decode(ByteBuffer.wrap(base64, 0, length));
        } catch (IllegalArgumentException e) {
            throw InvalidApiKeyException.brokenBase64();
        }
        byte[] backing = decoded.array();
        if (decoded.arrayOffset() == 0 && decoded.position() == 0 && decoded.remaining() == backing.length) {
            return backing;
        }
        byte[] exact = new byte[decoded.remaining()];
        decoded.get(exact);
        Arrays.fill(backing, (byte) 0);
        return exact;
    }

    private static String labelAt(char[] text, int from, int to) {
        return new String(text, from, to - from).strip().replaceAll("\\s+", " ");
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    private static boolean hasLineBreak(char[] text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] == '\n' || text[i] == '\r') {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(char[] text, char[] needle, int from) {
        return indexOf(text, needle, from, text.length);
    }

    private static int indexOf(char[] text, char[] needle, int from, int to) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (text[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
