package com.asconboard.keys;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns uploaded bytes into characters. Editors on Windows save text as UTF-16 or with a byte order
 * mark; all of that is accepted. The result is a char[] so the caller can wipe it.
 */
final class UploadText {

    private UploadText() {
    }

    /** @return the text, or null when the bytes are not text (binary files such as .p12 or DER) */
    static char[] decode(byte[] content) {
        int length = content.length;
        if (startsWith(content, 0xEF, 0xBB, 0xBF)) {
            return decode(content, 3, StandardCharsets.UTF_8);
        }
        if (startsWith(content, 0xFF, 0xFE)) {
            return decode(content, 2, StandardCharsets.UTF_16LE);
        }
        if (startsWith(content, 0xFE, 0xFF)) {
            return decode(content, 2, StandardCharsets.UTF_16BE);
        }
        if (length >= 4 && length % 2 == 0) {
            // UTF-16 without a byte order mark: ASCII text has a zero in every other byte.
            if (zeroAt(content, 1) && content[0] != 0) {
                return decode(content, 0, StandardCharsets.UTF_16LE);
            }
            if (zeroAt(content, 0) && content[1] != 0) {
                return decode(content, 0, StandardCharsets.UTF_16BE);
            }
        }
        return decode(content, 0, StandardCharsets.UTF_8);
    }

    static boolean isBlank(char[] text) {
        for (char c : text) {
            if (!isSpace(c)) {
                return false;
            }
        }
        return true;
    }

    /** Whitespace as found in pasted or re-saved files, including no-break and zero-width spaces. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || c == '\u00A0' || c == '\uFEFF' || c == '\u200B';
    }

    private static char[] decode(byte[] content, int offset, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        char[] buffer = new char[content.length];
        try {
            CharBuffer out = CharBuffer.wrap(buffer);
            CoderResult result = decoder.decode(ByteBuffer.wrap(content, offset, content.length - offset), out, true);
            if (result.isError()) {
                result.throwException();
            }
            result = decoder.flush(out);
            if (result.isError()) {
                result.throwException();
            }
            int n = out.position();
            for (int i = 0; i < n; i++) {
                if (isBinary(buffer[i])) {
                    return null;
                }
            }
            return Arrays.copyOf(buffer, n);
        } catch (CharacterCodingException e) {
            return null;
        } finally {
            Arrays.fill(buffer, '\0');
        }
    }

    private static boolean isBinary(char c) {
        return c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x0B;
    }

    private static boolean zeroAt(byte[] content, int start) {
        for (int i = start; i < content.length; i += 2) {
            if (content[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] content, int... prefix) {
        if (content.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((content[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
