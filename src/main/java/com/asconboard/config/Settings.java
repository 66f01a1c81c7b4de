package com.asconboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole configuration, read once from the environment and validated before anything starts.
 * Secrets never appear in {@link #toString()}.
 */
public record Settings(
        String slackBotToken,
        String slackSigningSecret,
        String slackAppToken,
        URI slackApiUrl,
        URI ascApiUrl,
        int port,
        URI publicBaseUrl,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        Path masterKeyFile,
        String masterKey,
        String masterKeyPrevious,
        String instanceId,
        Duration drainDelay,
        String bindAddress,
        List<Cidr> trustedProxies,
        Set<String> adminUsers,
        int managementPort,
        String managementBindAddress,
        LogFormat logFormat,
        Duration reminderAfter,
        String vendorName,
        String vendorAppleId,
        Set<String> allowedChannels,
        Set<String> allowedUsers,
        Duration uploadLinkTtl,
        Duration watchInterval,
        boolean autoCreateCertificate) {

    public static final String MASK = "****";

    private static final Pattern CHANNEL_ID = Pattern.compile("[CGD][A-Z0-9]{2,}");
    private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public Settings {
        allowedChannels = Set.copyOf(allowedChannels);
        allowedUsers = Set.copyOf(allowedUsers);
        adminUsers = Set.copyOf(adminUsers);
        trustedProxies = List.copyOf(trustedProxies);
    }

    /** What the configuration is for: serving needs Slack credentials, the CLI does not. */
    public enum Purpose { SERVE, CLI }

    /** How log lines are written: readable text, or one JSON object per line. */
    public enum LogFormat { TEXT, JSON }

    /** Whether the database is PostgreSQL (any number of instances) rather than embedded H2 (one). */
    public boolean postgres() {
        return databaseUrl.startsWith("jdbc:postgresql:");
    }

    /** Whether a Slack user may create or renew certificates by hand, offboard, and see every channel's tickets. */
    public boolean isAdmin(String userId) {
        return adminUsers.isEmpty() || adminUsers.contains(userId);
    }

    /** Reads and validates every variable; throws once, naming every bad one. */
    public static Settings fromEnvironment(Map<String, String> env, Purpose purpose) {
        var reader = new Reader(env);
        boolean serving = purpose == Purpose.SERVE;
        String botToken = reader.secret("SLACK_BOT_TOKEN", serving, "xoxb-", "a bot token starting with xoxb-");
        String signingSecret = reader.secret("SLACK_SIGNING_SECRET", serving, null, "the app's signing secret");
        String appToken = reader.secret("SLACK_APP_TOKEN", false, "xapp-", "an app-level token starting with xapp-");
        URI slackApi = reader.httpUrl("SLACK_API_URL", "https://slack.com/api/");
        if (!slackApi.toString().endsWith("/")) {
            slackApi = URI.create(slackApi + "/");
        }
        URI ascApi = reader.httpUrl("ASC_API_URL", "https://api.appstoreconnect.apple.com");
        int port = reader.port("PORT", 3000);
        URI publicBase = reader.httpUrl("PUBLIC_BASE_URL", "http://localhost:" + port);
        String dbUrl = reader.text("DATABASE_URL", "jdbc:h2:file:./data/asc-onboard");
        if (!dbUrl.startsWith("jdbc:h2:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            reader.problem("DATABASE_URL", "must be jdbc:h2:… (embedded, one instance) or jdbc:postgresql://host:port/db "
                    + "(PostgreSQL 15+), got '" + dbUrl.replaceAll("password=[^&;]*", "password=" + MASK) + "'");
        }
        String dbUser = reader.text("DATABASE_USER", "");
        String dbPassword = reader.text("DATABASE_PASSWORD", "");
        String masterKey = reader.masterKey("MASTER_KEY");
        String masterKeyPrevious = reader.masterKey("MASTER_KEY_PREVIOUS");
        Path masterKeyFile = Path.of(reader.text("MASTER_KEY_FILE", "./data/master.key"));
        if (masterKey == null && reader.raw("MASTER_KEY") == null) {
            boolean exists = reader.checkMasterKeyFile("MASTER_KEY_FILE", masterKeyFile);
            if (!exists && serving && dbUrl.startsWith("jdbc:postgresql:")) {
                reader.problem("MASTER_KEY", "or MASTER_KEY_FILE is required with PostgreSQL: every instance must use "
                        + "the same key, so none is created automatically (" + masterKeyFile + " does not exist)");
            }
        }
        if (masterKey != null && masterKey.equals(masterKeyPrevious)) {
            reader.problem("MASTER_KEY_PREVIOUS", "is the same key as MASTER_KEY; set it to the key being rotated out");
        }
        String instanceId = reader.text("INSTANCE_ID", defaultInstanceId());
        if (instanceId.length() > 100) {
            reader.problem("INSTANCE_ID", "must be at most 100 characters");
        }
        Duration drainDelay = reader.duration("DRAIN_DELAY", "PT5S", Duration.ZERO, Duration.ofMinutes(5));
        String bindAddress = reader.address("BIND_ADDRESS", "0.0.0.0");
        List<Cidr> trustedProxies = reader.cidrs("TRUSTED_PROXIES");
        Set<String> admins = reader.ids("ADMIN_USERS", USER_ID, "user IDs such as U0123456789");
        int managementPort = reader.port("MANAGEMENT_PORT", 9464);
        String managementBind = reader.address("MANAGEMENT_BIND_ADDRESS", "127.0.0.1");
        LogFormat logFormat = reader.logFormat("LOG_FORMAT");
        Duration reminderAfter = reader.duration("REMINDER_AFTER", "P3D", Duration.ofMinutes(1), Duration.ofDays(30));
        String vendorName = reader.text("VENDOR_NAME", "ASC Onboard").strip();
        if (vendorName.isEmpty() || vendorName.length() > 50) {
            reader.problem("VENDOR_NAME", "must be 1 to 50 characters");
        }
        String vendorAppleId = reader.text("VENDOR_APPLE_ID", null);
        if (vendorAppleId != null && !EMAIL.matcher(vendorAppleId).matches()) {
            reader.problem("VENDOR_APPLE_ID", "must be the vendor user's Apple ID e-mail address");
        }
        Set<String> channels = reader.ids("ALLOWED_CHANNELS", CHANNEL_ID, "channel IDs such as C0123456789");
        Set<String> users = reader.ids("ALLOWED_USERS", USER_ID, "user IDs such as U0123456789");
        Duration ttl = reader.duration("UPLOAD_LINK_TTL", "PT72H", Duration.ofMinutes(5), Duration.ofDays(30));
        Duration watch = reader.duration("WATCH_INTERVAL", "PT24H", Duration.ofMinutes(1), Duration.ofDays(30));
        boolean autoCreate = reader.bool("AUTO_CREATE_CERTIFICATE", true);
        reader.throwIfAny();
        return new Settings(botToken, signingSecret, appToken, slackApi, ascApi, port, publicBase, dbUrl, dbUser,
                dbPassword, masterKeyFile, masterKey, masterKeyPrevious, instanceId, drainDelay, bindAddress,
                trustedProxies, admins, managementPort, managementBind, logFormat, reminderAfter, vendorName,
                vendorAppleId, channels, users, ttl, watch, autoCreate);
    }

    /** The host name and process id: unique among instances, and readable in logs and leases. */
    static String defaultInstanceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        String id = host + "-" + ProcessHandle.current().pid();
        return id.length() > 100 ? id.substring(id.length() - 100) : id;
    }

    public boolean socketMode() {
        return slackAppToken != null;
    }

    /** The upload link base without a trailing slash. */
    public String publicBase() {
        String base = publicBaseUrl.toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    @Override
    public String toString() {
        return "Settings[SLACK_BOT_TOKEN=" + mask(slackBotToken)
                + ", SLACK_SIGNING_SECRET=" + mask(slackSigningSecret)
                + ", SLACK_APP_TOKEN=" + mask(slackAppToken)
                + ", SLACK_API_URL=" + slackApiUrl
                + ", ASC_API_URL=" + ascApiUrl
                + ", PORT=" + port
                + ", PUBLIC_BASE_URL=" + publicBaseUrl
                + ", DATABASE_URL=" + databaseUrl.replaceAll("password=[^&;]*", "password=" + MASK)
                + ", DATABASE_USER=" + databaseUser
                + ", DATABASE_PASSWORD=" + mask(databasePassword)
                + ", MASTER_KEY_FILE=" + masterKeyFile
                + ", MASTER_KEY=" + mask(masterKey)
                + ", MASTER_KEY_PREVIOUS=" + mask(masterKeyPrevious)
                + ", INSTANCE_ID=" + instanceId
                + ", DRAIN_DELAY=" + drainDelay
                + ", BIND_ADDRESS=" + bindAddress
                + ", TRUSTED_PROXIES=" + trustedProxies
                + ", ADMIN_USERS=" + adminUsers
                + ", MANAGEMENT_PORT=" + managementPort
                + ", MANAGEMENT_BIND_ADDRESS=" + managementBindAddress
                + ", LOG_FORMAT=" + logFormat
                + ", REMINDER_AFTER=" + reminderAfter
                + ", VENDOR_NAME=" + vendorName
                + ", VENDOR_APPLE_ID=" + vendorAppleId
                + ", ALLOWED_CHANNELS=" + allowedChannels
                + ", ALLOWED_USERS=" + allowedUsers
                + ", UPLOAD_LINK_TTL=" + uploadLinkTtl
                + ", WATCH_INTERVAL=" + watchInterval
                + ", AUTO_CREATE_CERTIFICATE=" + autoCreateCertificate + "]";
    }

    private static String mask(String secret) {
        return secret == null || secret.isEmpty() ? "(unset)" : MASK;
    }

    /** Collects problems while reading so that one message can name them all. */
    private static final class Reader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> env) {
            this.env = env;
        }

        void problem(String name, String what) {
            problems.add(name + " " + what);
        }

        String raw(String name) {
            String value = env.get(name);
            return value == null || value.isBlank() ? null : value.strip();
        }

        String text(String name, String fallback) {
            String value = raw(name);
            return value == null ? fallback : value;
        }

        String secret(String name, boolean required, String prefix, String expected) {
            String value = raw(name);
            if (value == null) {
                if (required) {
                    problem(name, "is required: " + expected);
                }
                return null;
            }
            if (prefix != null && !value.startsWith(prefix)) {
                problem(name, "must be " + expected + " (value " + MASK + " does not)");
                return null;
            }
            return value;
        }

        URI httpUrl(String name, String fallback) {
            String value = text(name, fallback);
            try {
                URI uri = new URI(value);
                if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                    problem(name, "must be an http(s) URL, got '" + value + "'");
                    return URI.create(fallback);
                }
                if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
                    problem(name, "must use https:// unless it points to this machine (localhost, 127.0.0.1, ::1); "
                            + "plain http would carry keys and tokens in the clear, got '" + value + "'");
                    return URI.create(fallback);
                }
                return uri;
            } catch (URISyntaxException e) {
                problem(name, "must be an http(s) URL, got '" + value + "'");
                return URI.create(fallback);
            }
        }

        int port(String name, int fallback) {
            String value = raw(name);
            if (value == null) {
                return fallback;
            }
            try {
                int port = Integer.parseInt(value);
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                problem(name, "must be a port number 0-65535, got '" + value + "'");
                return fallback;
            }
        }

        static boolean isLoopback(String host) {
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return "localhost".equalsIgnoreCase(h) || h.startsWith("127.") || "::1".equals(h)
                    || "0:0:0:0:0:0:0:1".equals(h);
        }

        /** An IP address literal to listen on. */
        String address(String name, String fallback) {
            String value = text(name, fallback);
            if (!Cidr.isAddressLiteral(value)) {
                problem(name, "must be an IP address such as 0.0.0.0 (every interface) or 127.0.0.1 (this machine "
                        + "only), got '" + value + "'");
                return fallback;
            }
            return value;
        }

        List<Cidr> cidrs(String name) {
            String value = raw(name);
            List<Cidr> cidrs = new ArrayList<>();
            if (value == null) {
                return cidrs;
            }
            for (String part : value.split(",")) {
                String item = part.strip();
                if (item.isEmpty()) {
                    continue;
                }
                try {
                    cidrs.add(Cidr.parse(item));
                } catch (IllegalArgumentException e) {
                    problem(name, "must be comma-separated IP addresses or CIDR ranges such as 10.0.0.0/8, got '"
                            + item + "' (" + e.getMessage() + ")");
                }
            }
            return cidrs;
        }

        LogFormat logFormat(String name) {
            String value = raw(name);
            if (value == null) {
                return LogFormat.TEXT;
            }
            try {
                return LogFormat.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(name, "must be text or json, got '" + value + "'");
                return LogFormat.TEXT;
            }
        }

        boolean bool(String name, boolean fallback) {
            String value = raw(name);
            if (value == null) {
                return fallback;
            }
            switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "true", "yes", "on", "1":
                    return true;
                case "false", "no", "off", "0":
                    return false;
                default:
                    problem(name, "must be true or false, got '" + value + "'");
                    return fallback;
            }
        }

        Duration duration(String name, String fallback, Duration min, Duration max) {
            String value = text(name, fallback);
            try {
                Duration duration = Duration.parse(value);
                if (duration.compareTo(min) < 0 || duration.compareTo(max) > 0) {
                    problem(name, "must be between " + min + " and " + max + ", got " + value);
                }
                return duration;
            } catch (DateTimeParseException e) {
                problem(name, "must be an ISO-8601 duration such as " + fallback + ", got '" + value + "'");
                return Duration.parse(fallback);
            }
        }

        Set<String> ids(String name, Pattern pattern, String expected) {
            String value = raw(name);
            Set<String> ids = new LinkedHashSet<>();
            if (value == null) {
                return ids;
            }
            for (String part : value.split(",")) {
                String id = part.strip();
                if (id.isEmpty()) {
                    continue;
                }
                if (!pattern.matcher(id).matches()) {
                    problem(name, "must be comma-separated Slack " + expected + ", got '" + id + "'");
                } else {
                    ids.add(id);
                }
            }
            return ids;
        }

        String masterKey(String name) {
            String value = raw(name);
            if (value != null && !isMasterKey(value)) {
                problem(name, "must be 32 bytes encoded in base64 (value " + MASK + " is not)");
                return null;
            }
            return value;
        }

        /** Checks the file if it exists; returns whether it does. */
        boolean checkMasterKeyFile(String name, Path file) {
            if (!Files.exists(file)) {
                return false;
            }
            try {
                String content = Files.readString(file).strip();
                if (!isMasterKey(content)) {
                    problem(name, "points to " + file + ", which does not hold 32 bytes in base64");
                }
            } catch (Exception e) {
                problem(name, "points to " + file + ", which cannot be read (" + e.getClass().getSimpleName() + ")");
            }
            return true;
        }

        static boolean isMasterKey(String base64) {
            try {
                byte[] key = Base64.getDecoder().decode(base64.strip());
                boolean ok = key.length == 32;
                Arrays.fill(key, (byte) 0);
                return ok;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new InvalidSettingsException(problems);
            }
        }
    }
}
