package com.asconboard.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.util.StatusPrinter2;
import com.asconboard.config.Settings;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code LOG_FORMAT} and {@code INSTANCE_ID} to logging. Call once, before the first line worth keeping:
 * logback starts with {@code logback.xml} (text); JSON re-reads the configuration from {@code logback-json.xml}.
 */
public final class Logging {
    /** The context property both configurations may print with {@code %property{instance}}. */
    static final String INSTANCE_PROPERTY = "instance";
    static final String JSON_CONFIGURATION = "/logback-json.xml";

    private Logging() {
    }

    public static void configure(Settings.LogFormat format, String instanceId) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        // An operator's own configuration (-Dlogback.configurationFile) is left as it is.
        if (format == Settings.LogFormat.TEXT || System.getProperty("logback.configurationFile") != null) {
            context.putProperty(INSTANCE_PROPERTY, instanceId);
            return;
        }
        URL config = Logging.class.getResource(JSON_CONFIGURATION);
        if (config == null) {
            throw new IllegalStateException(JSON_CONFIGURATION + " is missing from the class path");
        }
        // reset() clears the context's properties: set them after it, before the file is read.
        context.reset();
        context.putProperty(INSTANCE_PROPERTY, instanceId);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            // logback keeps the reason in its status list, printed below.
            System.err.println("logging configuration failed: " + e.getMessage());
        }
        new StatusPrinter2().printInCaseOfErrorsOrWarnings(context);
    }
}
