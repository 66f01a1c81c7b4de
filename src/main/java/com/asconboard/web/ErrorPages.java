package com.asconboard.web;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.security.SecureRandom;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error pages say what happened in one sentence, never an exception's text (it may quote SQL, a
 * request's content or a path with an upload token). A server error carries an error id that the
 * log line with the full exception also carries, so a customer's report can be found in the log.
 */
final class ErrorPages {
    private static final Logger log = LoggerFactory.getLogger(ErrorPages.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
    private static final String UPLOAD_PREFIX = "/upload/";

    private ErrorPages() {
    }

    /** A short id to quote, unambiguous when read aloud (no 0/O, 1/I). */
    static String newErrorId() {
        char[] id = new char[10];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }

    /** The path as logs may show it: an upload link's token is a secret, so it is left out. */
    static String loggable(String path) {
        if (path == null) {
            return "";
        }
        return path.startsWith(UPLOAD_PREFIX) ? UPLOAD_PREFIX + "…" : path;
    }

    /** What the page says: a sentence for the status, and the error id when there is one. */
    static String sentence(int status, String errorId) {
        String what = switch (status) {
            case 400 -> "The request could not be understood.";
            case 401, 403 -> "This request is not allowed.";
            case 404 -> "There is nothing here.";
            case 405 -> "This address does not take that kind of request.";
            case 408 -> "The request took too long to arrive.";
            case 413 -> "The request is too large.";
            case 414, 431 -> "The request's address or headers are too long.";
            case 503 -> "The service is not available right now. Please try again in a minute.";
            default -> status >= 500 ? "Something went wrong on our side." : "The request could not be answered.";
        };
        return errorId == null ? what : what + " If it keeps happening, quote error id " + errorId + ".";
    }

    static String html(int status, String errorId) {
        return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + status + " "
                + HttpStatus.getMessage(status) + "</title></head>\n<body><p>" + sentence(status, errorId)
                + "</p></body></html>\n";
    }

    /**
     * Answers for exceptions a servlet lets through, before Jetty sees them (Jetty's own log line would
     * name the request's path, and with it an upload token).
     */
    static Filter filter() {
        return (request, response, chain) -> {
            try {
                chain.doFilter(request, response);
            } catch (IOException | RuntimeException | jakarta.servlet.ServletException e) {
                answer((HttpServletRequest) request, (HttpServletResponse) response, e);
            }
        };
    }

    private static void answer(HttpServletRequest request, HttpServletResponse response, Exception failure)
            throws IOException {
        int status = statusFor(failure);
        String errorId = null;
        String where = request.getMethod() + " " + loggable(request.getRequestURI());
        if (status >= 500) {
            errorId = newErrorId();
            log.error("error {}: {} failed", errorId, where, failure);
        } else {
            // The client's doing (gone away, too slow, malformed): no stack, and no message that may quote it.
            log.info("{} ended with {}: {}", where, status, failure.getClass().getSimpleName());
        }
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setStatus(status);
        response.setContentType("text/html; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(html(status, errorId));
    }

    static int statusFor(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpException http && http.getCode() >= 400 && http.getCode() < 500) {
                return http.getCode();
            }
            if (t instanceof TimeoutException) {
                return 408;
            }
            if (t instanceof EofException) {
                return 400;
            }
        }
        return 500;
    }

    /** Logs a server error Jetty is about to answer; returns its error id, or null for a client error. */
    private static String logged(Request request, int code, Throwable cause) {
        String errorId = null;
        if (code >= 500) {
            errorId = newErrorId();
            String where = request.getMethod() + " " + loggable(Request.getPathInContext(request));
            if (cause != null) {
                log.error("error {}: {} answered {}", errorId, where, code, cause);
            } else {
                log.error("error {}: {} answered {}", errorId, where, code);
            }
        }
        return errorId;
    }

    /** For errors Jetty answers itself, before or outside the servlets. */
    static org.eclipse.jetty.server.handler.ErrorHandler forServer() {
        return configure(new org.eclipse.jetty.server.handler.ErrorHandler() {
            @Override
            protected void writeErrorHtml(Request request, Writer writer, Charset charset, int code, String message,
                    Throwable cause) throws IOException {
                writer.write(html(code, logged(request, code, cause)));
            }

            @Override
            protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message,
                    Throwable cause) {
                writer.write(plain(request, code, cause));
            }

            @Override
            protected void writeErrorJson(Request request, PrintWriter writer, int code, String message,
                    Throwable cause) {
                writer.write(json(request, code, cause));
            }
        });
    }

    /** For errors inside the servlet context: unknown paths, sendError, failures past the filter. */
    static org.eclipse.jetty.ee10.servlet.ErrorHandler forContext() {
        // The same three pages as above: Jetty's servlet error handler is a subclass of its own.
        return configure(new org.eclipse.jetty.ee10.servlet.ErrorHandler() {
            @Override
            protected void writeErrorHtml(Request request, Writer writer, Charset charset, int code, String message,
                    Throwable cause) throws IOException {
                writer.write(html(code, logged(request, code, cause)));
            }

            @Override
            protected void writeErrorPlain(Request request, PrintWriter writer, int code, String message,
                    Throwable cause) {
                writer.write(plain(request, code, cause));
            }

            @Override
            protected void writeErrorJson(Request request, PrintWriter writer, int code, String message,
                    Throwable cause) {
                writer.write(json(request, code, cause));
            }
        });
    }

    private static String plain(Request request, int code, Throwable cause) {
        return sentence(code, logged(request, code, cause)) + "\n";
    }

    private static String json(Request request, int code, Throwable cause) {
        String errorId = logged(request, code, cause);
        return "{\"error\":\"" + sentence(code, null) + "\"" + (errorId == null ? "" : ",\"error_id\":\"" + errorId
                + "\"") + "}";
    }

    private static <T extends org.eclipse.jetty.server.handler.ErrorHandler> T configure(T handler) {
        handler.setShowStacks(false);
        handler.setShowCauses(false);
        handler.setShowMessageInTitle(false);
        handler.setShowOrigin(false);
        return handler;
    }
}
