package com.asconboard.testing;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * The App Store Connect API on loopback: any number of teams ({@link Account}) with API keys, apps,
 * bundle IDs, users, invitations and real X.509 certificates, answered in the shapes real App Store Connect
 * answers were recorded in: dates as {@code 2027-02-01T20:50:34.000+0000}, one {@code X-Rate-Limit} header
 * line per window (hour and minute), error entries with {@code id}, {@code source} and {@code links} where
 * Apple sends them, Admins listed by their role alone, invitations that lapse after 3 days. Apple's token
 * check, role rules and rate limits apply. Faults (including a replay of any recorded answer), account-wide
 * blocks and latency can be injected and every request is recorded. Give the code under test {@link #url()}
 * as {@code ASC_API_URL}.
 */
public final class FakeAsc implements AutoCloseable {

    /** Requests per key per rolling hour unless a key says otherwise (Apple's usual figure). */
    public static final int DEFAULT_HOURLY_LIMIT = 3600;
    /** Requests per key per rolling minute unless a key says otherwise, as the recorded headers show. */
    public static final int DEFAULT_MINUTE_LIMIT = 150;
    /** How long an invitation stays open before it lapses. */
    public static final Duration INVITATION_LIFETIME = Duration.ofDays(3);
    /** Active Apple/iOS Distribution certificates a team may hold. */
    public static final int DEFAULT_DISTRIBUTION_LIMIT = 3;
    /** What {@code failNext} takes for "every time from now on". */
    public static final int ALWAYS = Integer.MAX_VALUE;

    static final int DEFAULT_PAGE = 20;
    static final int MAX_PAGE = 200;

    private static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();
    private static final DateTimeFormatter APPLE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern CERTIFICATE_INSTANCE = Pattern.compile("^/v1/certificates/([^/]+)$");
    private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".toCharArray();

    private static final String NOT_AUTHORIZED_TITLE = "Authentication credentials are missing or invalid.";
    private static final String NOT_AUTHORIZED_DETAIL = "Provide a properly configured and signed bearer token, and "
            + "make sure that it has not expired. Learn more about Generating Tokens for API Requests "
            + "https://developer.apple.com/go/?id=api-generating-tokens";
    private static final String FORBIDDEN_TITLE = "This request is forbidden for security reasons";
    private static final String FORBIDDEN_DETAIL = "The API key in use does not allow this request";
    /** The wording Apple uses when a team is at its (Apple) Distribution certificate limit. */
    public static final String DISTRIBUTION_LIMIT_DETAIL = limitDetail(CertificateType.DISTRIBUTION);
    private static final String MEMBERSHIP_DETAIL = "Team ID: '%s' is not associated with an active membership. To "
            + "check your teams membership status, sign in your account on the developer website. "
            + "https://developer.apple.com/account/";

    /** Apple's 409 at a certificate limit names the type in words: "… a current iOS Distribution certificate …". */
    public static String limitDetail(CertificateType type) {
        return "You already have a current " + type.limitName() + " certificate or a pending certificate request.";
    }

    // ---------------------------------------------------------------- public model

    /** Apple's UserRole values; API keys carry one of them too. */
    public enum Role {
        ADMIN, FINANCE, ACCOUNT_HOLDER, SALES, MARKETING, APP_MANAGER, DEVELOPER, ACCESS_TO_REPORTS,
        CUSTOMER_SUPPORT, CREATE_APPS, CLOUD_MANAGED_DEVELOPER_ID, CLOUD_MANAGED_APP_DISTRIBUTION,
        GENERATE_INDIVIDUAL_KEYS
    }

    /** Apple's CertificateType values. The two G2 types are listed by Apple's schema but refused by the live API. */
    public enum CertificateType {
        APPLE_PAY, APPLE_PAY_MERCHANT_IDENTITY, APPLE_PAY_PSP_IDENTITY, APPLE_PAY_RSA, DEVELOPER_ID_KEXT,
        DEVELOPER_ID_KEXT_G2, DEVELOPER_ID_APPLICATION, DEVELOPER_ID_APPLICATION_G2, DEVELOPMENT, DISTRIBUTION,
        IDENTITY_ACCESS, IOS_DEVELOPMENT, IOS_DISTRIBUTION, MAC_APP_DISTRIBUTION, MAC_INSTALLER_DISTRIBUTION,
        MAC_APP_DEVELOPMENT, PASS_TYPE_ID, PASS_TYPE_ID_WITH_NFC;

        /** Counted against the team's distribution limit. */
        public boolean isDistribution() {
            return this == DISTRIBUTION || this == IOS_DISTRIBUTION;
        }

        boolean retired() {
            return this == DEVELOPER_ID_KEXT_G2 || this == DEVELOPER_ID_APPLICATION_G2;
        }

        /** Development certificates belong to a person; the others to the team. */
        boolean personal() {
            return this == DEVELOPMENT || this == IOS_DEVELOPMENT || this == MAC_APP_DEVELOPMENT;
        }

        String platform() {
            return switch (this) {
                case IOS_DEVELOPMENT, IOS_DISTRIBUTION -> "IOS";
                case MAC_APP_DISTRIBUTION, MAC_INSTALLER_DISTRIBUTION, MAC_APP_DEVELOPMENT, DEVELOPER_ID_KEXT,
                        DEVELOPER_ID_KEXT_G2, DEVELOPER_ID_APPLICATION, DEVELOPER_ID_APPLICATION_G2 -> "MAC_OS";
                default -> null;
            };
        }

        /** Prefix of the {@code name} attribute. */
        String label() {
            return switch (this) {
                case DISTRIBUTION -> "Apple Distribution";
                case IOS_DISTRIBUTION -> "iOS Distribution";
                case DEVELOPMENT -> "Apple Development";
                case IOS_DEVELOPMENT -> "iOS Development";
                case MAC_APP_DISTRIBUTION -> "Mac App Distribution";
                case MAC_INSTALLER_DISTRIBUTION -> "Mac Installer Distribution";
                case MAC_APP_DEVELOPMENT -> "Mac Development";
                case DEVELOPER_ID_APPLICATION, DEVELOPER_ID_APPLICATION_G2 -> "Developer ID Application";
                case DEVELOPER_ID_KEXT, DEVELOPER_ID_KEXT_G2 -> "Developer ID Kext";
                default -> name();
            };
        }

        /** The type as Apple names it in its certificate-limit refusal. */
        String limitName() {
            return switch (this) {
                case DISTRIBUTION -> "Distribution";
                case DEVELOPMENT -> "Development";
                default -> label();
            };
        }

        /** Prefix of the certificate's common name, as Keychain shows it. */
        String subjectLabel() {
            return switch (this) {
                case IOS_DISTRIBUTION -> "iPhone Distribution";
                case IOS_DEVELOPMENT -> "iPhone Developer";
                case MAC_APP_DISTRIBUTION -> "3rd Party Mac Developer Application";
                case MAC_INSTALLER_DISTRIBUTION -> "3rd Party Mac Developer Installer";
                case MAC_APP_DEVELOPMENT -> "Mac Developer";
                default -> label();
            };
        }
    }

    /** Apple's BundleIdPlatform values. */
    public enum BundleIdPlatform { IOS, MAC_OS, UNIVERSAL, SERVICES }

    public record App(String id, String name, String bundleId, String sku) {
    }

    public record BundleId(String id, String identifier, String name, String seedId, BundleIdPlatform platform) {
    }

    public record User(String id, String username, String firstName, String lastName, List<Role> roles,
                       boolean provisioningAllowed) {
    }

    public record Invitation(String id, String email, String firstName, String lastName, List<Role> roles,
                             boolean provisioningAllowed, Instant expirationDate) {
    }

    /** Why a bearer token was refused. Apple's answer is the same 401 whatever the reason. */
    public record Rejection(Reason reason, String detail) {
        public enum Reason {
            NO_TOKEN, MALFORMED, ALGORITHM, TYPE, UNKNOWN_KEY, NO_ISSUER, KEY_REVOKED, SIGNATURE, AUDIENCE,
            NO_ISSUED_AT, NO_EXPIRATION, LIFETIME_TOO_LONG, EXPIRED, ISSUED_IN_FUTURE, NOT_YET_VALID
        }
    }

    /**
     * One request as the fake saw it. {@code path} includes the query; the token itself is never kept,
     * only its decoded header and claims and a short digest ({@code tokenId}) to tell tokens apart.
     * {@code status} is 0 when the connection was dropped without an answer.
     */
    public record Request(String method, String path, Map<String, List<String>> query, Map<String, Object> jwtHeader,
                          Map<String, Object> jwtClaims, String tokenId, int status, String body, Fault.Kind fault,
                          Rejection rejection) {

        /** The first value of a query parameter, decoded, or null. */
        public String param(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String pathWithoutQuery() {
            int q = path.indexOf('?');
            return q < 0 ? path : path.substring(0, q);
        }

        public String keyId() {
            return jwtHeader.get("kid") instanceof String kid ? kid : null;
        }

        public String issuer() {
            return jwtClaims.get("iss") instanceof String iss ? iss : null;
        }

        @Override
        public String toString() {
            return method + " " + path + " -> " + status
                    + (fault != null ? " [fault " + fault + "]" : "")
                    + (rejection != null ? " [" + rejection.reason() + ": " + rejection.detail() + "]" : "")
                    + (tokenId != null ? " (kid=" + keyId() + ", token " + tokenId + ")" : " (no token)");
        }
    }

    /** An API key registered in an account. Its settings can be changed at any time. */
    public static final class Key {
        private static final Set<Role> PROVISIONING_READERS =
                EnumSet.of(Role.ADMIN, Role.ACCOUNT_HOLDER, Role.APP_MANAGER, Role.DEVELOPER);
        private static final Set<Role> CERTIFICATE_MANAGERS = EnumSet.of(Role.ADMIN, Role.ACCOUNT_HOLDER, Role.APP_MANAGER);
        private static final Set<Role> USER_READERS = EnumSet.of(Role.ADMIN, Role.ACCOUNT_HOLDER, Role.APP_MANAGER);

        private final Account account;
        private final String keyId;
        private final String issuerId;
        private final ECPublicKey publicKey;
        private final Role role;
        private volatile boolean individual;
        private volatile boolean forbidUsers;
        private volatile Boolean canCreateDistribution;
        private volatile int hourlyLimit = DEFAULT_HOURLY_LIMIT;
        private volatile int minuteLimit = DEFAULT_MINUTE_LIMIT;
        private volatile boolean revoked;
        private final Deque<Instant> lastHour = new ArrayDeque<>();
        private final Deque<Instant> lastMinute = new ArrayDeque<>();

        private Key(Account account, String keyId, String issuerId, ECPublicKey publicKey, Role role) {
            this.account = account;
            this.keyId = keyId;
            this.issuerId = issuerId;
            this.publicKey = publicKey;
            this.role = role;
        }

        /** An Individual key: refused (403) on the provisioning endpoints, certificates and bundle IDs. */
        public Key individual(boolean value) {
            individual = value;
            return this;
        }

        /** Refuses /v1/users and /v1/userInvitations (403), as some customers' setups do. */
        public Key forbidUsers(boolean value) {
            forbidUsers = value;
            return this;
        }

        /** Overrides the role rule (Admin and App Manager may) for creating and revoking certificates. */
        public Key canCreateDistribution(boolean value) {
            canCreateDistribution = value;
            return this;
        }

        public Key hourlyLimit(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must not be negative");
            }
            hourlyLimit = limit;
            return this;
        }

        public Key minuteLimit(int limit) {
            if (limit < 0) {
                throw new IllegalArgumentException("limit must not be negative");
            }
            minuteLimit = limit;
            return this;
        }

        public String keyId() {
            return keyId;
        }

        public String issuerId() {
            return issuerId;
        }

        public Role role() {
            return role;
        }

        public Account account() {
            return account;
        }

        public boolean isIndividual() {
            return individual;
        }

        public boolean isRevoked() {
            return revoked;
        }

        ECPublicKey publicKey() {
            return publicKey;
        }

        boolean mayReadProvisioning() {
            return !individual && PROVISIONING_READERS.contains(role);
        }

        boolean mayManageCertificates() {
            Boolean override = canCreateDistribution;
            return !individual && (override != null ? override : CERTIFICATE_MANAGERS.contains(role));
        }

        boolean mayReadUsers() {
            return !forbidUsers && USER_READERS.contains(role);
        }

        @Override
        public String toString() {
            return "Key[" + keyId + ", " + role + (individual ? ", individual" : "") + (revoked ? ", revoked" : "") + "]";
        }
    }

    /** A certificate in an account, holding the real X.509 certificate Apple would hand out. */
    public static final class Certificate {
        private final String id;
        private final CertificateType type;
        private final String name;
        private final String displayName;
        private final X509Certificate x509;
        private volatile boolean revoked;

        private Certificate(String id, CertificateType type, String name, String displayName, X509Certificate x509) {
            this.id = id;
            this.type = type;
            this.name = name;
            this.displayName = displayName;
            this.x509 = x509;
        }

        public String id() {
            return id;
        }

        public CertificateType type() {
            return type;
        }

        public String name() {
            return name;
        }

        public String displayName() {
            return displayName;
        }

        /** Upper-case hex, as in the API. */
        public String serialNumber() {
            return x509.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        }

        /** Null for the multi-platform types (DISTRIBUTION, DEVELOPMENT). */
        public String platform() {
            return type.platform();
        }

        public Instant expirationDate() {
            return x509.getNotAfter().toInstant();
        }

        public X509Certificate x509() {
            return x509;
        }

        public PublicKey publicKey() {
            return x509.getPublicKey();
        }

        /** Base64 of the DER, as {@code certificateContent}. */
        public String certificateContent() {
            try {
                return Base64.getEncoder().encodeToString(x509.getEncoded());
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        public boolean isRevoked() {
            return revoked;
        }

        boolean isActive(Instant now) {
            return !revoked && expirationDate().isAfter(now);
        }

        @Override
        public String toString() {
            return "Certificate[" + id + ", " + type + ", serial " + serialNumber() + ", expires " + expirationDate()
                    + (revoked ? ", revoked" : "") + "]";
        }
    }

    /** One App Store Connect team: its keys and everything the API shows of it. */
    public final class Account {
        private final String teamId;
        private final String teamName;
        private final Map<String, Key> keys = new LinkedHashMap<>();
        private final List<App> apps = new ArrayList<>();
        private final List<BundleId> bundleIds = new ArrayList<>();
        private final Map<String, Certificate> certificates = new LinkedHashMap<>();
        private final List<User> users = new ArrayList<>();
        private final List<Invitation> invitations = new ArrayList<>();
        private int distributionLimit = DEFAULT_DISTRIBUTION_LIMIT;
        private volatile Block block;

        private Account(String teamId, String teamName) {
            this.teamId = teamId;
            this.teamName = teamName;
        }

        public String teamId() {
            return teamId;
        }

        public String teamName() {
            return teamName;
        }

        /** Registers a Team key. Key IDs are unique across all accounts, as at Apple. */
        public Key addKey(String keyId, String issuerId, ECPublicKey publicKey, Role role) {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(issuerId, "issuerId");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(role, "role");
            synchronized (lock) {
                if (keysById.containsKey(keyId)) {
                    throw new IllegalArgumentException("key " + keyId + " is already registered");
                }
                Key key = new Key(this, keyId, issuerId, publicKey, role);
                keys.put(keyId, key);
                keysById.put(keyId, key);
                return key;
            }
        }

        public Key key(String keyId) {
            synchronized (lock) {
                Key key = keys.get(keyId);
                if (key == null) {
                    throw new IllegalArgumentException("no key " + keyId + " in team " + teamId);
                }
                return key;
            }
        }

        /** Revokes a key as the customer would in App Store Connect: every later request with it gets 401. */
        public void revokeKey(String keyId) {
            key(keyId).revoked = true;
        }

        public App addApp(String name, String bundleId) {
            synchronized (lock) {
                App app = new App(numericId(), name, bundleId, "SKU" + (apps.size() + 1));
                apps.add(app);
                return app;
            }
        }

        /** A bundle ID whose seed (App ID prefix) is the team ID, platform IOS. */
        public BundleId addBundleId(String identifier, String name) {
            return addBundleId(identifier, name, teamId, BundleIdPlatform.IOS);
        }

        public BundleId addBundleId(String identifier, String name, String seedId) {
            return addBundleId(identifier, name, seedId, BundleIdPlatform.IOS);
        }

        public BundleId addBundleId(String identifier, String name, String seedId, BundleIdPlatform platform) {
            synchronized (lock) {
                BundleId bundleId = new BundleId(newId(10), identifier, name, seedId, platform);
                bundleIds.add(bundleId);
                return bundleId;
            }
        }

        public User addUser(String username, String firstName, String lastName, List<Role> roles,
                            boolean provisioningAllowed) {
            synchronized (lock) {
                User user = new User(UUID.randomUUID().toString(), username, firstName, lastName, List.copyOf(roles),
                        provisioningAllowed);
                users.add(user);
                return user;
            }
        }

        /**
         * An Admin as Apple lists one: {@code roles: ["ADMIN"]} alone, no cloud-managed role (Admins have certificate
         * access and cloud-managed distribution by their role).
         */
        public User addAdmin(String username, String firstName, String lastName) {
            return addUser(username, firstName, lastName, List.of(Role.ADMIN), true);
        }

        /** An invitation sent now: it lapses after {@link #INVITATION_LIFETIME}, as Apple's do. */
        public Invitation addInvitation(String email, List<Role> roles, boolean provisioningAllowed) {
            return addInvitation(email, roles, provisioningAllowed, clock.instant().plus(INVITATION_LIFETIME));
        }

        public Invitation addInvitation(String email, List<Role> roles, boolean provisioningAllowed, Instant expiration) {
            return addInvitation(email, "Invited", "User", roles, provisioningAllowed, expiration);
        }

        public Invitation addInvitation(String email, String firstName, String lastName, List<Role> roles,
                                        boolean provisioningAllowed, Instant expiration) {
            synchronized (lock) {
                // Apple's dates carry whole seconds (".000").
                Invitation invitation = new Invitation(UUID.randomUUID().toString(), email, firstName, lastName,
                        List.copyOf(roles), provisioningAllowed,
                        expiration == null ? null : expiration.truncatedTo(ChronoUnit.SECONDS));
                invitations.add(invitation);
                return invitation;
            }
        }

        /**
         * Places a certificate in the account as if someone had made it in the web portal.
         * {@code displayName} is what the portal shows as its creator; the limit is not enforced here.
         */
        public Certificate addCertificate(String displayName, CertificateType type, Instant expires) {
            return addCertificate(displayName, type, expires, FakeAscCertificates.fillerKey());
        }

        public Certificate addCertificate(String displayName, CertificateType type, Instant expires,
                                          PublicKey publicKey) {
            synchronized (lock) {
                Instant notAfter = expires.truncatedTo(ChronoUnit.SECONDS);
                return issue(type, displayName, publicKey, notAfter.minus(certificateValidity), notAfter);
            }
        }

        /** Revokes a certificate as the customer would in the web portal; it disappears from the API. */
        public void revokeCertificate(String id) {
            synchronized (lock) {
                Certificate certificate = certificates.get(id);
                if (certificate == null || certificate.revoked) {
                    throw new IllegalArgumentException("no current certificate " + id + " in team " + teamId);
                }
                certificate.revoked = true;
            }
        }

        /** The certificates the API lists: not revoked, expired ones included. */
        public List<Certificate> certificates() {
            synchronized (lock) {
                return certificates.values().stream().filter(c -> !c.revoked).toList();
            }
        }

        /** Any certificate ever held, revoked ones included. */
        public Optional<Certificate> certificate(String id) {
            synchronized (lock) {
                return Optional.ofNullable(certificates.get(id));
            }
        }

        /**
         * Blocks every request of the account's keys as Apple does while the team's membership has lapsed or a
         * required agreement awaits the Account Holder; {@code null} lifts the block.
         */
        public Account block(Block block) {
            this.block = block;
            return this;
        }

        public Account distributionLimit(int limit) {
            synchronized (lock) {
                distributionLimit = limit;
                return this;
            }
        }

        public List<App> apps() {
            synchronized (lock) {
                return List.copyOf(apps);
            }
        }

        public List<BundleId> bundleIds() {
            synchronized (lock) {
                return List.copyOf(bundleIds);
            }
        }

        public List<User> users() {
            synchronized (lock) {
                return List.copyOf(users);
            }
        }

        public List<Invitation> invitations() {
            synchronized (lock) {
                return List.copyOf(invitations);
            }
        }

        private Certificate issue(CertificateType type, String displayName, PublicKey publicKey, Instant notBefore,
                                  Instant notAfter) {
            String uid = type.personal() ? newId(10) : teamId;
            String holder = type.personal() ? displayName : teamName;
            X509Certificate x509 = FakeAscCertificates.issue(
                    FakeAscCertificates.subject(uid, type.subjectLabel() + ": " + holder + " (" + uid + ")", teamId, teamName),
                    publicKey, FakeAscCertificates.serial(random), notBefore, notAfter, type);
            Certificate certificate = new Certificate(newId(10), type, type.label() + ": " + holder, displayName, x509);
            certificates.put(certificate.id, certificate);
            return certificate;
        }

        private long activeDistributionCertificates(Instant now) {
            return certificates.values().stream().filter(c -> c.type.isDistribution() && c.isActive(now)).count();
        }

        @Override
        public String toString() {
            return "Account[" + teamId + ", " + teamName + "]";
        }
    }

    /** An account-wide refusal Apple answers on every request until the Account Holder acts. */
    public enum Block {
        /** 403 FORBIDDEN_ERROR "Team ID: '…' is not associated with an active membership …". */
        MEMBERSHIP_LAPSED,
        /** 403 FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED. */
        AGREEMENT_MISSING
    }

    /**
     * Something to go wrong instead of (or on top of) the normal answer. Faults fire before the token is
     * checked and do not count against the rate limit; {@link #afterHandling()} lets the request take
     * effect first (a certificate is created, then the answer is lost).
     */
    public static final class Fault {
        public enum Kind {
            UNAUTHORIZED, AGREEMENT_MISSING, FORBIDDEN, MEMBERSHIP_LAPSED, RATE_LIMITED, SERVER_ERROR, UNAVAILABLE, SLOW,
            DISCONNECT, DISCONNECT_DURING_BODY, MALFORMED_JSON, RECORDED
        }

        private final Kind kind;
        private final Duration delay;
        private final int retryAfterSeconds;
        private final boolean afterHandling;
        private final int status;
        private final String body;
        private final List<String[]> headers;

        private Fault(Kind kind, Duration delay, int retryAfterSeconds, boolean afterHandling) {
            this(kind, delay, retryAfterSeconds, afterHandling, 0, null, List.of());
        }

        private Fault(Kind kind, Duration delay, int retryAfterSeconds, boolean afterHandling, int status, String body,
                      List<String[]> headers) {
            this.kind = kind;
            this.delay = delay;
            this.retryAfterSeconds = retryAfterSeconds;
            this.afterHandling = afterHandling;
            this.status = status;
            this.body = body;
            this.headers = List.copyOf(headers);
        }

        /**
         * Answers exactly {@code body} (JSON) with {@code status}: replays an answer recorded from Apple, e.g. a
         * 403 whose detail no other fault has. Headers can be added with {@link #withHeader}.
         */
        public static Fault recorded(int status, String body) {
            return new Fault(Kind.RECORDED, Duration.ZERO, 0, false, status, Objects.requireNonNull(body), List.of());
        }

        /** The same recorded answer with one more header line (repeat a name for several lines, as Apple does). */
        public Fault withHeader(String name, String value) {
            if (kind != Kind.RECORDED) {
                throw new IllegalStateException("headers are added to recorded answers only");
            }
            List<String[]> more = new ArrayList<>(headers);
            more.add(new String[] {name, value});
            return new Fault(kind, delay, retryAfterSeconds, afterHandling, status, body, more);
        }

        /** 403 FORBIDDEN_ERROR "Team ID: '…' is not associated with an active membership": the membership lapsed. */
        public static Fault membershipLapsed() {
            return new Fault(Kind.MEMBERSHIP_LAPSED, Duration.ZERO, 0, false);
        }

        /** 401 NOT_AUTHORIZED although the token is fine (Apple does this now and then). */
        public static Fault unauthorized() {
            return new Fault(Kind.UNAUTHORIZED, Duration.ZERO, 0, false);
        }

        /** 403 FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED: the Account Holder must accept new terms. */
        public static Fault agreementMissing() {
            return new Fault(Kind.AGREEMENT_MISSING, Duration.ZERO, 0, false);
        }

        /** 403 FORBIDDEN_ERROR, "The API key in use does not allow this request". */
        public static Fault forbidden() {
            return new Fault(Kind.FORBIDDEN, Duration.ZERO, 0, false);
        }

        /** 429 RATE_LIMIT_EXCEEDED with {@code Retry-After: seconds}. */
        public static Fault rateLimited(int retryAfterSeconds) {
            return new Fault(Kind.RATE_LIMITED, Duration.ZERO, retryAfterSeconds, false);
        }

        /** 500 UNEXPECTED_ERROR. */
        public static Fault serverError() {
            return new Fault(Kind.SERVER_ERROR, Duration.ZERO, 0, false);
        }

        /** 503 with an HTML page, as Apple's edge answers when the service behind it is down. */
        public static Fault unavailable() {
            return new Fault(Kind.UNAVAILABLE, Duration.ZERO, 0, false);
        }

        /** The normal answer, its headers held back for {@code delay} (on top of any latency setting). */
        public static Fault slow(Duration delay) {
            return new Fault(Kind.SLOW, delay, 0, false);
        }

        /** The request is read, then the connection closes without an answer. */
        public static Fault disconnect() {
            return new Fault(Kind.DISCONNECT, Duration.ZERO, 0, false);
        }

        /** The request takes effect; the connection closes halfway through the answer's body. */
        public static Fault disconnectDuringBody() {
            return new Fault(Kind.DISCONNECT_DURING_BODY, Duration.ZERO, 0, false);
        }

        /** 200 with a truncated JSON body. */
        public static Fault malformedJson() {
            return new Fault(Kind.MALFORMED_JSON, Duration.ZERO, 0, false);
        }

        /** The same fault, but the request is carried out before its answer is replaced. */
        public Fault afterHandling() {
            return new Fault(kind, delay, retryAfterSeconds, true, status, body, headers);
        }

        public Kind kind() {
            return kind;
        }

        boolean handlesRequest() {
            return afterHandling || kind == Kind.SLOW || kind == Kind.DISCONNECT_DURING_BODY;
        }

        @Override
        public String toString() {
            return kind + (kind == Kind.SLOW ? "(" + delay.toMillis() + " ms)" : "")
                    + (kind == Kind.RATE_LIMITED ? "(Retry-After " + retryAfterSeconds + ")" : "")
                    + (kind == Kind.RECORDED ? "(HTTP " + status + ")" : "")
                    + (afterHandling ? " after handling" : "");
        }
    }

    // ---------------------------------------------------------------- state

    private final Clock clock;
    private final MockWebServer server = new MockWebServer();
    private final String baseUrl;
    private final SecureRandom random = new SecureRandom();
    private final Object lock = new Object();
    private final Map<String, Account> accounts = new LinkedHashMap<>();
    private final Map<String, Key> keysById = new LinkedHashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private final Set<String> tokenIds = new HashSet<>();
    private final Set<String> bearerTokens = new java.util.LinkedHashSet<>();
    private final List<FaultRule> faults = new ArrayList<>();
    private Rejection lastRejection;
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration certificateValidity = Duration.ofDays(365);

    private final FakeAscTokens.Keys keyLookup = new FakeAscTokens.Keys() {
        @Override
        public Key find(String issuerId, String keyId) {
            Key key = keysById.get(keyId);
            return key != null && key.issuerId.equals(issuerId) ? key : null;
        }

        @Override
        public Key findIndividual(String keyId) {
            Key key = keysById.get(keyId);
            return key != null && key.individual ? key : null;
        }

        @Override
        public boolean knowsKeyId(String keyId) {
            return keysById.containsKey(keyId);
        }
    };

    public FakeAsc() {
        this(Clock.systemUTC());
    }

    /** {@code clock} decides token expiry, the rate-limit hour and certificate dates. */
    public FakeAsc(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return FakeAsc.this.dispatch(request);
            }
        });
        try {
            server.setServerSocketFactory(new NoDelayServerSockets());
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("fake ASC could not start", e);
        }
        // An IP literal, not "localhost", which may resolve to an address the server is not bound to.
        String url = new HttpUrl.Builder().scheme("http").host(InetAddress.getLoopbackAddress().getHostAddress())
                .port(server.getPort()).build().toString();
        this.baseUrl = url.substring(0, url.length() - 1);
    }

    /** The base URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}: set it as ASC_API_URL. */
    public String url() {
        return baseUrl;
    }

    /** The stand-in for Apple's WWDR intermediate that signs every certificate this fake issues. */
    public static X509Certificate caCertificate() {
        return FakeAscCertificates.ca();
    }

    public Account addAccount(String teamId, String teamName) {
        Objects.requireNonNull(teamId, "teamId");
        Objects.requireNonNull(teamName, "teamName");
        synchronized (lock) {
            if (accounts.containsKey(teamId)) {
                throw new IllegalArgumentException("team " + teamId + " already exists");
            }
            Account account = new Account(teamId, teamName);
            accounts.put(teamId, account);
            return account;
        }
    }

    public Account account(String teamId) {
        synchronized (lock) {
            Account account = accounts.get(teamId);
            if (account == null) {
                throw new IllegalArgumentException("no team " + teamId);
            }
            return account;
        }
    }

    /** Held back before the headers of every answer, faults included; for timing-sensitive tests and benchmarks. */
    public void setLatency(Duration latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
    }

    /** Lifetime of certificates created through the API (default one year). */
    public void setCertificateValidity(Duration validity) {
        this.certificateValidity = Objects.requireNonNull(validity, "validity");
    }

    /** The next {@code times} requests to any path get {@code fault}. */
    public void failNext(int times, Fault fault) {
        failNext(null, "/", times, fault);
    }

    /** The next {@code times} requests whose path starts with {@code pathPrefix} get {@code fault}. */
    public void failNext(String pathPrefix, int times, Fault fault) {
        failNext(null, pathPrefix, times, fault);
    }

    /** As {@link #failNext(String, int, Fault)}, for one HTTP method only. */
    public void failNext(String method, String pathPrefix, int times, Fault fault) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1");
        }
        synchronized (lock) {
            faults.add(new FaultRule(method, Objects.requireNonNull(pathPrefix), times, Objects.requireNonNull(fault)));
        }
    }

    /** Every request whose path starts with {@code pathPrefix} gets {@code fault} until {@link #clearFaults()}. */
    public void failAlways(String pathPrefix, Fault fault) {
        failNext(null, pathPrefix, ALWAYS, fault);
    }

    public void clearFaults() {
        synchronized (lock) {
            faults.clear();
        }
    }

    public List<Request> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    public List<Request> requests(String pathPrefix) {
        synchronized (lock) {
            return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
        }
    }

    public int requestCount() {
        synchronized (lock) {
            return requests.size();
        }
    }

    /** How many different bearer tokens have been presented since the start or the last {@link #reset()}. */
    public int distinctTokens() {
        synchronized (lock) {
            return tokenIds.size();
        }
    }

    /**
     * The bearer tokens presented, verbatim. Only for checking that tokens leak nowhere else: the request
     * records keep a digest, so that a failing test's output never shows a usable token.
     */
    public Set<String> tokensPresented() {
        synchronized (lock) {
            return Set.copyOf(bearerTokens);
        }
    }

    /** Why the most recent token was refused (not set by an injected 401). */
    public Optional<Rejection> lastRejection() {
        synchronized (lock) {
            return Optional.ofNullable(lastRejection);
        }
    }

    /** Forgets faults, recorded requests, tokens seen and the last rejection; accounts and their state stay. */
    public void reset() {
        synchronized (lock) {
            faults.clear();
            requests.clear();
            tokenIds.clear();
            bearerTokens.clear();
            lastRejection = null;
        }
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- dispatch

    private static final class FaultRule {
        final String method;
        final String prefix;
        int remaining;
        final Fault fault;

        FaultRule(String method, String prefix, int times, Fault fault) {
            this.method = method;
            this.prefix = prefix;
            this.remaining = times;
            this.fault = fault;
        }

        boolean matches(Exchange exchange) {
            return (method == null || method.equalsIgnoreCase(exchange.method())) && exchange.path().startsWith(prefix);
        }
    }

    /** The parts of an incoming request the fake works with. */
    private record Exchange(String method, String target, String path, Map<String, List<String>> query, String body,
                            String authorization) {
        static Exchange of(RecordedRequest request) {
            String target = request.getPath() == null ? "/" : request.getPath();
            HttpUrl url = request.getRequestUrl();
            Map<String, List<String>> query = new LinkedHashMap<>();
            String path = target.replaceFirst("\\?.*$", "");
            if (url != null) {
                path = url.encodedPath();
                for (String name : url.queryParameterNames()) {
                    query.put(name, url.queryParameterValues(name).stream().map(v -> v == null ? "" : v).toList());
                }
            }
            String body = request.getBodySize() > 0 ? request.getBody().readUtf8() : null;
            return new Exchange(request.getMethod() == null ? "" : request.getMethod(), target, path,
                    Collections.unmodifiableMap(query), body, request.getHeader("Authorization"));
        }
    }

    /** An answer under construction. */
    private static final class Reply {
        final int status;
        String body;
        String contentType = "application/json";
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        SocketPolicy policy;
        long extraDelayMillis;
        Fault.Kind fault;

        Reply(int status, String body) {
            this.status = status;
            this.body = body;
        }

        Reply header(String name, String value) {
            headers.put(name, new ArrayList<>(List.of(value)));
            return this;
        }

        /** One more line of a header, as Apple sends X-Rate-Limit once per window. */
        Reply addHeader(String name, String value) {
            headers.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            return this;
        }

        MockResponse toMockResponse(Duration latency) {
            MockResponse response = new MockResponse().setResponseCode(status == 0 ? 200 : status);
            if (body != null) {
                response.setHeader("Content-Type", contentType);
                response.setBody(body);
            }
            headers.forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            long delay = latency.toMillis() + extraDelayMillis;
            if (delay > 0) {
                response.setHeadersDelay(delay, TimeUnit.MILLISECONDS);
            }
            if (policy != null) {
                response.setSocketPolicy(policy);
            }
            return response;
        }
    }

    /** Thrown by request parsing to answer with an error at once. */
    private static final class Refusal extends RuntimeException {
        final transient Reply reply;

        Refusal(Reply reply) {
            super(null, null, false, false);
            this.reply = reply;
        }
    }

    private MockResponse dispatch(RecordedRequest recorded) {
        Exchange exchange = Exchange.of(recorded);
        synchronized (lock) {
            FakeAscTokens.Outcome auth = FakeAscTokens.check(exchange.authorization(), keyLookup, clock);
            Reply reply;
            try {
                reply = answer(exchange, auth);
            } catch (RuntimeException e) {
                // A bug in the fake must not look like a network problem to the code under test.
                reply = error(500, "UNEXPECTED_ERROR", "An unexpected error occurred.", "fake ASC failed: " + e);
            }
            requests.add(new Request(exchange.method(), exchange.target(), exchange.query(), auth.header(), auth.claims(),
                    auth.tokenId(), reply.status, exchange.body(), reply.fault, auth.rejection()));
            if (auth.tokenId() != null) {
                tokenIds.add(auth.tokenId());
                bearerTokens.add(exchange.authorization().substring(7).strip());
            }
            return reply.toMockResponse(latency);
        }
    }

    private Reply answer(Exchange exchange, FakeAscTokens.Outcome auth) {
        FaultRule rule = takeFault(exchange);
        if (rule == null) {
            return authenticated(exchange, auth);
        }
        Fault fault = rule.fault;
        Reply reply;
        if (!fault.handlesRequest()) {
            reply = faultReply(fault, auth.key());
        } else {
            Reply handled = authenticated(exchange, auth);
            switch (fault.kind) {
                case SLOW -> {
                    handled.extraDelayMillis += fault.delay.toMillis();
                    reply = handled;
                }
                case DISCONNECT_DURING_BODY -> {
                    handled.policy = SocketPolicy.DISCONNECT_DURING_RESPONSE_BODY;
                    reply = handled;
                }
                default -> reply = faultReply(fault, auth.key());
            }
        }
        reply.fault = fault.kind;
        return reply;
    }

    private FaultRule takeFault(Exchange exchange) {
        for (Iterator<FaultRule> it = faults.iterator(); it.hasNext(); ) {
            FaultRule rule = it.next();
            if (rule.matches(exchange)) {
                if (rule.remaining != ALWAYS && --rule.remaining == 0) {
                    it.remove();
                }
                return rule;
            }
        }
        return null;
    }

    private Reply faultReply(Fault fault, Key key) {
        return switch (fault.kind) {
            case UNAUTHORIZED -> notAuthorized();
            case AGREEMENT_MISSING -> agreementMissing();
            case MEMBERSHIP_LAPSED -> membershipLapsed(key == null ? "ID" : key.account.teamId);
            case RECORDED -> {
                Reply reply = new Reply(fault.status, fault.body);
                fault.headers.forEach(h -> reply.addHeader(h[0], h[1]));
                yield reply;
            }
            case FORBIDDEN -> forbidden();
            case RATE_LIMITED -> {
                // As after a burst: the minute's allowance spent, the hour's as counted.
                Reply reply = rateLimitExceeded();
                if (key != null) {
                    reply.addHeader("X-Rate-Limit", "user-hour-lim:" + key.hourlyLimit + ";user-hour-rem:"
                            + Math.max(0, key.hourlyLimit - key.lastHour.size()) + ";");
                    reply.addHeader("X-Rate-Limit", "user-minute-lim:" + key.minuteLimit + ";user-minute-rem:0;");
                }
                yield reply.header("Retry-After", Integer.toString(fault.retryAfterSeconds));
            }
            case SERVER_ERROR -> error(500, "UNEXPECTED_ERROR", "An unexpected error occurred.",
                    "An unexpected error occurred on the server side. If this issue continues, contact us at "
                            + "https://developer.apple.com/contact/.");
            case UNAVAILABLE -> {
                Reply reply = new Reply(503, "<html><head><title>503 Service Unavailable</title></head>"
                        + "<body><h1>Service Unavailable</h1></body></html>");
                reply.contentType = "text/html";
                yield reply;
            }
            case MALFORMED_JSON -> new Reply(200, "{\"data\":[{\"type\":\"certificates\",\"id\":\"");
            case DISCONNECT -> {
                Reply reply = new Reply(0, null);
                reply.policy = SocketPolicy.DISCONNECT_AFTER_REQUEST;
                yield reply;
            }
            case SLOW, DISCONNECT_DURING_BODY -> throw new IllegalStateException(fault + " has no reply of its own");
        };
    }

    private Reply authenticated(Exchange exchange, FakeAscTokens.Outcome auth) {
        if (auth.key() == null) {
            lastRejection = auth.rejection();
            return notAuthorized();
        }
        Key key = auth.key();
        Instant now = clock.instant();
        forget(key.lastHour, now.minus(Duration.ofHours(1)));
        forget(key.lastMinute, now.minus(Duration.ofMinutes(1)));
        int hourly = key.hourlyLimit;
        int perMinute = key.minuteLimit;
        if (key.lastHour.size() >= hourly || key.lastMinute.size() >= perMinute) {
            return rateLimitExceeded(key);
        }
        key.lastHour.addLast(now);
        key.lastMinute.addLast(now);
        Reply reply;
        Block block = key.account.block;
        if (block != null) {
            reply = block == Block.MEMBERSHIP_LAPSED ? membershipLapsed(key.account.teamId) : agreementMissing();
        } else {
            try {
                reply = route(key, exchange, now);
            } catch (Refusal refusal) {
                reply = refusal.reply;
            }
        }
        return rateLimitHeaders(reply, key);
    }

    private static void forget(Deque<Instant> window, Instant before) {
        while (!window.isEmpty() && !window.peekFirst().isAfter(before)) {
            window.removeFirst();
        }
    }

    /** Apple's two X-Rate-Limit lines, hourly and per minute, each as its own header line. */
    private static Reply rateLimitHeaders(Reply reply, Key key) {
        reply.headers.remove("X-Rate-Limit");
        reply.addHeader("X-Rate-Limit", "user-hour-lim:" + key.hourlyLimit + ";user-hour-rem:"
                + Math.max(0, key.hourlyLimit - key.lastHour.size()) + ";");
        reply.addHeader("X-Rate-Limit", "user-minute-lim:" + key.minuteLimit + ";user-minute-rem:"
                + Math.max(0, key.minuteLimit - key.lastMinute.size()) + ";");
        return reply;
    }

    private Reply route(Key key, Exchange exchange, Instant now) {
        Account account = key.account;
        String method = exchange.method();
        switch (exchange.path()) {
            case "/v1/apps" -> {
                requireOperation("apps", method, "GET", "GET_COLLECTION");
                return listApps(account, exchange);
            }
            case "/v1/certificates" -> {
                requireOperation("certificates", method, "GET", "GET_COLLECTION", "POST", "CREATE");
                if (method.equals("POST")) {
                    return createCertificate(key, exchange, now);
                }
                requireThat(key.mayReadProvisioning());
                return listCertificates(account, exchange);
            }
            case "/v1/bundleIds" -> {
                requireOperation("bundleIds", method, "GET", "GET_COLLECTION");
                requireThat(key.mayReadProvisioning());
                return listBundleIds(account, exchange);
            }
            case "/v1/users" -> {
                requireOperation("users", method, "GET", "GET_COLLECTION");
                requireThat(key.mayReadUsers());
                return listUsers(account, exchange);
            }
            case "/v1/userInvitations" -> {
                requireOperation("userInvitations", method, "GET", "GET_COLLECTION");
                requireThat(key.mayReadUsers());
                return listInvitations(account, exchange);
            }
            default -> {
                Matcher instance = CERTIFICATE_INSTANCE.matcher(exchange.path());
                if (!instance.matches()) {
                    return error(404, "NOT_FOUND", "The specified resource does not exist",
                            "The path provided does not match a defined resource type.");
                }
                requireOperation("certificates", method, "GET", "GET_INSTANCE", "DELETE", "DELETE");
                String id = instance.group(1);
                if (method.equals("DELETE")) {
                    requireThat(key.mayManageCertificates());
                } else {
                    requireThat(key.mayReadProvisioning());
                    Query.of(exchange, Set.of());
                }
                Certificate certificate = account.certificates.get(id);
                if (certificate == null || certificate.revoked) {
                    return error(404, "NOT_FOUND", "The specified resource does not exist",
                            "There is no resource of type 'certificates' with id '" + id + "'");
                }
                if (method.equals("DELETE")) {
                    certificate.revoked = true;
                    return new Reply(204, null);
                }
                return single(certificateResource(certificate), exchange);
            }
        }
    }

    /** {@code allowed} pairs HTTP methods with Apple's operation names. */
    private static void requireOperation(String resource, String method, String... allowed) {
        List<String> operations = new ArrayList<>();
        for (int i = 0; i < allowed.length; i += 2) {
            if (allowed[i].equals(method)) {
                return;
            }
            operations.add(allowed[i + 1]);
        }
        String operation = switch (method) {
            case "GET" -> "GET_INSTANCE";
            case "POST" -> "CREATE";
            case "PATCH" -> "UPDATE";
            default -> method;
        };
        throw new Refusal(error(403, "FORBIDDEN_ERROR", FORBIDDEN_TITLE, "The resource '" + resource
                + "' does not allow '" + operation + "'. Allowed operations are: " + String.join(", ", operations)));
    }

    private static void requireThat(boolean allowed) {
        if (!allowed) {
            throw new Refusal(forbidden());
        }
    }

    // ---------------------------------------------------------------- endpoints

    private Reply listApps(Account account, Exchange exchange) {
        Query query = Query.of(exchange, Set.of("name", "bundleId", "sku", "id", "appStoreVersions.appStoreState",
                "appStoreVersions.platform", "appStoreVersions.appVersionState", "reviewSubmissions.state",
                "reviewSubmissions.platform", "appStoreVersions"));
        List<App> apps = account.apps.stream()
                .filter(query.matches("name", App::name))
                .filter(query.matches("bundleId", App::bundleId))
                .filter(query.matches("sku", App::sku))
                .filter(query.matches("id", App::id))
                .toList();
        return page(exchange, query, apps, app -> resource("apps", app.id(), attributes(
                "name", app.name(),
                "bundleId", app.bundleId(),
                "sku", app.sku(),
                "primaryLocale", "en-US",
                "isOrEverWasMadeForKids", false)));
    }

    private Reply listCertificates(Account account, Exchange exchange) {
        Query query = Query.of(exchange, Set.of("displayName", "certificateType", "serialNumber", "id"));
        List<String> types = query.values("certificateType");
        if (types != null) {
            for (String type : types) {
                if (certificateType(type) == null) {
                    throw new Refusal(parameterError("filter[certificateType]", "'" + type
                            + "' is not a valid filter value. Expected one of: " + Arrays.stream(CertificateType.values())
                            .filter(t -> !t.retired()).map(Enum::name).collect(Collectors.joining(", "))));
                }
            }
        }
        List<Certificate> certificates = account.certificates.values().stream()
                .filter(c -> !c.revoked)
                .filter(query.matches("certificateType", c -> c.type.name()))
                .filter(query.matches("serialNumber", Certificate::serialNumber))
                .filter(query.matches("id", Certificate::id))
                .filter(query.matches("displayName", Certificate::displayName))
                .toList();
        return page(exchange, query, certificates, this::certificateResource);
    }

    private Reply createCertificate(Key key, Exchange exchange, Instant now) {
        requireThat(key.mayManageCertificates());
        Query.of(exchange, Set.of());
        JsonObject data = requestData(exchange);
        if (!"certificates".equals(string(data, "type"))) {
            return attributeInvalid("/data/type", "The type '" + string(data, "type")
                    + "' is not valid for this request; expected 'certificates'.");
        }
        if (!(data.get("attributes") instanceof JsonObject attributes)) {
            return attributeRequired("/data/attributes", "attributes");
        }
        String csrContent = string(attributes, "csrContent");
        if (csrContent == null || csrContent.isBlank()) {
            return attributeRequired("/data/attributes/csrContent", "csrContent");
        }
        String typeName = string(attributes, "certificateType");
        if (typeName == null) {
            return attributeRequired("/data/attributes/certificateType", "certificateType");
        }
        CertificateType type = certificateType(typeName);
        if (type == null) {
            return attributeInvalid("/data/attributes/certificateType",
                    "'" + typeName + "' is not a valid value for the attribute 'certificateType'.");
        }
        PublicKey publicKey;
        try {
            publicKey = FakeAscCertificates.parseCsr(csrContent);
        } catch (FakeAscCertificates.InvalidCsrException e) {
            Map<String, Object> entry = errorEntry(422, "ENTITY_ERROR.ATTRIBUTE.INVALID", "An attribute value is invalid.",
                    "Invalid CSR content. " + e.getMessage());
            entry.put("source", Map.of("pointer", "/data/attributes/csrContent"));
            return errors(422, entry);
        }
        Account account = key.account;
        if (type.isDistribution() && account.activeDistributionCertificates(now) >= account.distributionLimit) {
            return error(409, "ENTITY_ERROR", "There is a problem with the request entity", limitDetail(type));
        }
        Instant notBefore = now.truncatedTo(ChronoUnit.SECONDS);
        Certificate certificate = account.issue(type, "Created via API", publicKey, notBefore,
                notBefore.plus(certificateValidity));
        Reply reply = single(certificateResource(certificate), null);
        return new Reply(201, reply.body);
    }

    private Reply listBundleIds(Account account, Exchange exchange) {
        Query query = Query.of(exchange, Set.of("name", "platform", "identifier", "seedId", "id"));
        List<String> platforms = query.values("platform");
        if (platforms != null) {
            for (String platform : platforms) {
                if (!Set.of("IOS", "MAC_OS", "UNIVERSAL").contains(platform)) {
                    throw new Refusal(parameterError("filter[platform]", "'" + platform
                            + "' is not a valid filter value. Expected one of: IOS, MAC_OS, UNIVERSAL"));
                }
            }
        }
        List<String> identifiers = query.values("identifier");
        List<BundleId> bundleIds = account.bundleIds.stream()
                // Apple matches identifiers loosely (com.example also finds com.example.widget): callers must check.
                .filter(b -> identifiers == null || identifiers.stream().anyMatch(i -> b.identifier().contains(i)))
                .filter(query.matches("name", BundleId::name))
                .filter(query.matches("platform", b -> b.platform().name()))
                .filter(query.matches("seedId", BundleId::seedId))
                .filter(query.matches("id", BundleId::id))
                .toList();
        return page(exchange, query, bundleIds, b -> resource("bundleIds", b.id(), attributes(
                "name", b.name(),
                "platform", b.platform().name(),
                "identifier", b.identifier(),
                "seedId", b.seedId())));
    }

    private Reply listUsers(Account account, Exchange exchange) {
        Query query = Query.of(exchange, Set.of("username", "roles", "visibleApps"));
        validateRoles(query);
        List<User> users = account.users.stream()
                .filter(query.matchesIgnoringCase("username", User::username))
                .filter(query.matchesAny("roles", u -> u.roles().stream().map(Enum::name).toList()))
                .toList();
        return page(exchange, query, users, u -> resource("users", u.id(), attributes(
                "username", u.username(),
                "firstName", u.firstName(),
                "lastName", u.lastName(),
                "roles", u.roles().stream().map(Enum::name).toList(),
                "allAppsVisible", true,
                "provisioningAllowed", u.provisioningAllowed())));
    }

    private Reply listInvitations(Account account, Exchange exchange) {
        Query query = Query.of(exchange, Set.of("email", "roles", "visibleApps"));
        validateRoles(query);
        List<Invitation> invitations = account.invitations.stream()
                .filter(query.matchesIgnoringCase("email", Invitation::email))
                .filter(query.matchesAny("roles", i -> i.roles().stream().map(Enum::name).toList()))
                .toList();
        return page(exchange, query, invitations, i -> resource("userInvitations", i.id(), attributes(
                "email", i.email(),
                "firstName", i.firstName(),
                "lastName", i.lastName(),
                "expirationDate", i.expirationDate() == null ? null : APPLE_TIME.format(i.expirationDate()),
                "roles", i.roles().stream().map(Enum::name).toList(),
                "allAppsVisible", true,
                "provisioningAllowed", i.provisioningAllowed())));
    }

    private static void validateRoles(Query query) {
        List<String> roles = query.values("roles");
        if (roles == null) {
            return;
        }
        for (String role : roles) {
            if (Arrays.stream(Role.values()).noneMatch(r -> r.name().equals(role))) {
                throw new Refusal(parameterError("filter[roles]", "'" + role + "' is not a valid filter value."));
            }
        }
    }

    private Map<String, Object> certificateResource(Certificate c) {
        return resource("certificates", c.id, attributes(
                "name", c.name,
                "certificateType", c.type.name(),
                "displayName", c.displayName,
                "serialNumber", c.serialNumber(),
                "platform", c.platform(),
                "expirationDate", APPLE_TIME.format(c.expirationDate()),
                "certificateContent", c.certificateContent(),
                "activated", true));
    }

    private static CertificateType certificateType(String name) {
        for (CertificateType type : CertificateType.values()) {
            if (type.name().equals(name) && !type.retired()) {
                return type;
            }
        }
        return null;
    }

    private static JsonObject requestData(Exchange exchange) {
        JsonElement root;
        try {
            root = exchange.body() == null ? null : JsonParser.parseString(exchange.body());
        } catch (JsonParseException e) {
            root = null;
        }
        if (root == null || !root.isJsonObject() || !(root.getAsJsonObject().get("data") instanceof JsonObject data)) {
            throw new Refusal(error(422, "ENTITY_UNPROCESSABLE", "The request entity is not processable",
                    "The request body must be a JSON document with a 'data' object."));
        }
        return data;
    }

    private static String string(JsonObject object, String member) {
        JsonElement value = object.get(member);
        return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isString() ? value.getAsString() : null;
    }

    // ---------------------------------------------------------------- documents

    private Map<String, Object> resource(String type, String id, Map<String, Object> attributes) {
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("type", type);
        resource.put("id", id);
        resource.put("attributes", attributes);
        resource.put("links", Map.of("self", baseUrl + "/v1/" + type + "/" + id));
        return resource;
    }

    private static Map<String, Object> attributes(Object... pairs) {
        Map<String, Object> attributes = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            attributes.put((String) pairs[i], pairs[i + 1]);
        }
        return attributes;
    }

    private Reply single(Map<String, Object> resource, Exchange exchange) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("data", resource);
        document.put("links", Map.of("self", exchange == null
                ? ((Map<?, ?>) resource.get("links")).get("self") : baseUrl + exchange.target()));
        return new Reply(200, GSON.toJson(document));
    }

    private <T> Reply page(Exchange exchange, Query query, List<T> items, Function<T, Map<String, Object>> render) {
        int limit = query.limit();
        int offset = query.offset();
        int end = Math.min(items.size(), offset + limit);
        List<Map<String, Object>> data = items.subList(Math.min(offset, items.size()), end).stream().map(render).toList();
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", baseUrl + exchange.target());
        Map<String, Object> paging = new LinkedHashMap<>();
        paging.put("total", items.size());
        paging.put("limit", limit);
        if (end < items.size()) {
            String cursor = Query.cursor(end);
            HttpUrl next = Objects.requireNonNull(HttpUrl.parse(baseUrl + exchange.target())).newBuilder()
                    .setQueryParameter("cursor", cursor)
                    .setQueryParameter("limit", Integer.toString(limit))
                    .build();
            links.put("next", next.toString());
            paging.put("nextCursor", cursor);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("data", data);
        document.put("links", links);
        document.put("meta", Map.of("paging", paging));
        return new Reply(200, GSON.toJson(document));
    }

    /** Query parameters of a collection request, checked the way Apple checks them. */
    private static final class Query {
        private static final Set<String> GENERAL = Set.of("limit", "cursor", "sort", "include");
        private final Map<String, List<String>> params;

        private Query(Map<String, List<String>> params) {
            this.params = params;
        }

        static Query of(Exchange exchange, Set<String> filters) {
            for (String name : exchange.query().keySet()) {
                if (name.startsWith("filter[") && name.endsWith("]")) {
                    String filter = name.substring(7, name.length() - 1);
                    if (!filters.contains(filter)) {
                        throw new Refusal(parameterError(name, "'" + filter + "' is not a valid filter type"));
                    }
                } else if (!GENERAL.contains(name) && !name.startsWith("fields[") && !name.startsWith("limit[")
                        && !name.startsWith("exists[")) {
                    Map<String, Object> entry = errorEntry(400, "PARAMETER_ERROR.ILLEGAL",
                            "A parameter is not allowed for this request",
                            "The parameter '" + name + "' can not be used with this request");
                    entry.put("source", Map.of("parameter", name));
                    throw new Refusal(errors(400, entry));
                }
            }
            return new Query(exchange.query());
        }

        /** Values of {@code filter[name]}, comma lists and repeats flattened; null when the filter is absent. */
        List<String> values(String filter) {
            List<String> raw = params.get("filter[" + filter + "]");
            if (raw == null) {
                return null;
            }
            return raw.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip)
                    .filter(v -> !v.isEmpty()).toList();
        }

        <T> Predicate<T> matches(String filter, Function<T, String> field) {
            List<String> wanted = values(filter);
            return item -> wanted == null || wanted.contains(field.apply(item));
        }

        <T> Predicate<T> matchesIgnoringCase(String filter, Function<T, String> field) {
            List<String> wanted = values(filter);
            return item -> wanted == null || wanted.stream().anyMatch(w -> w.equalsIgnoreCase(field.apply(item)));
        }

        <T> Predicate<T> matchesAny(String filter, Function<T, List<String>> field) {
            List<String> wanted = values(filter);
            return item -> wanted == null || field.apply(item).stream().anyMatch(wanted::contains);
        }

        int limit() {
            List<String> raw = params.get("limit");
            if (raw == null || raw.isEmpty()) {
                return DEFAULT_PAGE;
            }
            String value = raw.get(0);
            try {
                int limit = Integer.parseInt(value);
                if (limit >= 1 && limit <= MAX_PAGE) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // answered below like any other bad value
            }
            throw new Refusal(parameterError("limit", "'" + value + "' is not a valid value for 'limit'. "
                    + "It must be an integer from 1 to " + MAX_PAGE + "."));
        }

        int offset() {
            List<String> raw = params.get("cursor");
            if (raw == null || raw.isEmpty()) {
                return 0;
            }
            try {
                String decoded = new String(Base64.getUrlDecoder().decode(raw.get(0)), StandardCharsets.UTF_8);
                if (decoded.startsWith("offset:")) {
                    int offset = Integer.parseInt(decoded.substring(7));
                    if (offset >= 0) {
                        return offset;
                    }
                }
            } catch (IllegalArgumentException e) {
                // answered below
            }
            throw new Refusal(parameterError("cursor", "'" + raw.get(0) + "' is not a valid cursor for this request"));
        }

        static String cursor(int offset) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(("offset:" + offset).getBytes(StandardCharsets.UTF_8));
        }
    }

    // ---------------------------------------------------------------- errors

    private static Map<String, Object> errorEntry(int status, String code, String title, String detail) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", UUID.randomUUID().toString());
        entry.put("status", Integer.toString(status));
        entry.put("code", code);
        entry.put("title", title);
        entry.put("detail", detail);
        return entry;
    }

    private static Reply errors(int status, Map<String, Object> entry) {
        return new Reply(status, GSON.toJson(Map.of("errors", List.of(entry))));
    }

    private static Reply error(int status, String code, String title, String detail) {
        return errors(status, errorEntry(status, code, title, detail));
    }

    private static Reply notAuthorized() {
        // Apple's 401 carries no error id.
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("status", "401");
        entry.put("code", "NOT_AUTHORIZED");
        entry.put("title", NOT_AUTHORIZED_TITLE);
        entry.put("detail", NOT_AUTHORIZED_DETAIL);
        return errors(401, entry);
    }

    private static Reply forbidden() {
        return error(403, "FORBIDDEN_ERROR", FORBIDDEN_TITLE, FORBIDDEN_DETAIL);
    }

    private static Reply rateLimitExceeded() {
        return error(429, "RATE_LIMIT_EXCEEDED", "The request rate limit has been reached.",
                "We've received too many requests for this API. Please wait and try again or slow down your request rate.");
    }

    private static Reply rateLimitExceeded(Key key) {
        return rateLimitHeaders(rateLimitExceeded(), key);
    }

    private static Reply agreementMissing() {
        Map<String, Object> entry = errorEntry(403, "FORBIDDEN.REQUIRED_AGREEMENTS_MISSING_OR_EXPIRED",
                "A required agreement is missing or has expired.",
                "This request requires an in-effect agreement that has not been signed or has expired.");
        entry.put("links", Map.of("see", "/agreements"));
        return errors(403, entry);
    }

    private static Reply membershipLapsed(String teamId) {
        return error(403, "FORBIDDEN_ERROR", FORBIDDEN_TITLE, String.format(MEMBERSHIP_DETAIL, teamId));
    }

    private static Reply parameterError(String parameter, String detail) {
        Map<String, Object> entry = errorEntry(400, "PARAMETER_ERROR.INVALID", "A parameter has an invalid value", detail);
        entry.put("source", Map.of("parameter", parameter));
        return errors(400, entry);
    }

    private static Reply attributeRequired(String pointer, String attribute) {
        Map<String, Object> entry = errorEntry(409, "ENTITY_ERROR.ATTRIBUTE.REQUIRED",
                "The provided entity is missing a required attribute",
                "You must provide a value for the attribute '" + attribute + "' with this request");
        entry.put("source", Map.of("pointer", pointer));
        return errors(409, entry);
    }

    private static Reply attributeInvalid(String pointer, String detail) {
        Map<String, Object> entry = errorEntry(409, "ENTITY_ERROR.ATTRIBUTE.INVALID", "An attribute value is invalid.", detail);
        entry.put("source", Map.of("pointer", pointer));
        return errors(409, entry);
    }

    // ---------------------------------------------------------------- ids

    private String newId(int length) {
        char[] id = new char[length];
        for (int i = 0; i < length; i++) {
            id[i] = ID_CHARS[random.nextInt(ID_CHARS.length)];
        }
        return new String(id);
    }

    private String numericId() {
        return new BigInteger(32, random).add(BigInteger.valueOf(1_000_000_000L)).toString();
    }
}
