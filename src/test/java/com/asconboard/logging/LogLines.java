package com.asconboard.logging;

import com.asconboard.config.Settings;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run in a JVM of its own by {@link LogFormatTest}: configures logging as {@code Main} does, then writes the
 * kinds of line the bot writes, to standard output.
 */
public final class LogLines {
    private LogLines() {
    }

    @SuppressWarnings("try") // the contexts are opened for the lines logged inside them
    public static void main(String[] args) throws Exception {
        Logging.configure(Settings.LogFormat.valueOf(args[0]), args[1]);
        Logger log = LoggerFactory.getLogger("com.asconboard.Sample");
        log.info("starting with no ticket");
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (LogContext ignored = LogContext.forTicket(12)) {
            log.info("key received");
            try (LogContext inner = LogContext.forTicket(13)) {
                log.info("nested work");
            }
            log.warn("quotes \" and a\nsecond line stay in one record");
            log.error("verification failed", new IllegalStateException("Apple answered 500"));
            worker.submit(LogContext.carry(() -> log.info("handed to a worker"))).get();
        }
        worker.submit(() -> log.info("worker after the ticket")).get();
        worker.shutdown();
        worker.awaitTermination(5, TimeUnit.SECONDS);
        log.info("done with no ticket");
    }
}
