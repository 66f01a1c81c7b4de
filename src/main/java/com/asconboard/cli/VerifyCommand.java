package com.asconboard.cli;

import com.asconboard.asc.AscConnector;
import com.asconboard.asc.AscCredentials;
import com.asconboard.asc.ReportText;
import com.asconboard.asc.VerificationReport;
import com.asconboard.asc.Verifier;
import com.asconboard.config.Settings;
import com.asconboard.keys.ApiKey;
import com.asconboard.keys.ApiKeyFile;
import com.asconboard.keys.InvalidApiKeyException;
import com.asconboard.ticket.DetailsForm;
import com.asconboard.ticket.Field;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code verify --issuer-id I --key-id K --key-file F [--team-id T]}: the Slack verification,
 * for a terminal. Exit 0 verified, 1 not verified, 2 usage or input error.
 */
public final class VerifyCommand {
    public static final int VERIFIED = 0;
    public static final int NOT_VERIFIED = 1;
    public static final int USAGE = 2;
    static final String USAGE_TEXT = "Usage: java -jar asc-onboard.jar verify --issuer-id ISSUER_ID --key-id KEY_ID "
            + "--key-file AuthKey_KEY_ID.p8 [--team-id TEAM_ID]";
    private static final int MAX_FILE = 64 * 1024;

    private VerifyCommand() {
    }

    public static int run(String[] args, Map<String, String> env, Clock clock, PrintStream out, PrintStream err) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!Set.of("--issuer-id", "--key-id", "--key-file", "--team-id").contains(name)) {
                err.println("Unknown argument '" + name + "'.\n" + USAGE_TEXT);
                return USAGE;
            }
            if (i + 1 >= args.length) {
                err.println(name + " needs a value.\n" + USAGE_TEXT);
                return USAGE;
            }
            options.put(name, args[++i]);
        }
        for (String required : new String[] {"--issuer-id", "--key-id", "--key-file"}) {
            if (!options.containsKey(required)) {
                err.println("Missing " + required + ".\n" + USAGE_TEXT);
                return USAGE;
            }
        }
        Map<Field, String> input = new EnumMap<>(Field.class);
        input.put(Field.CUSTOMER, "command line");
        input.put(Field.TEAM_ID, options.get("--team-id"));
        input.put(Field.ISSUER_ID, options.get("--issuer-id"));
        input.put(Field.KEY_ID, options.get("--key-id"));
        DetailsForm.Result form = DetailsForm.check(input);
        if (!form.isValid()) {
            form.errors().forEach((field, message) -> err.println(field.label() + ": " + message));
            return USAGE;
        }
        Settings settings;
        try {
            settings = Settings.fromEnvironment(env, Settings.Purpose.CLI);
        } catch (RuntimeException e) {
            err.println(e.getMessage());
            return USAGE;
        }
        Path file = Path.of(options.get("--key-file"));
        ApiKey key;
        byte[] content = null;
        try {
            content = read(file);
            key = ApiKeyFile.parse(content, file.getFileName().toString(), form.details().keyId());
        } catch (IOException e) {
            err.println("Cannot read the key file " + file + ": " + e.getMessage());
            return USAGE;
        } catch (InvalidApiKeyException e) {
            err.println(file.getFileName() + ": " + e.getMessage());
            return USAGE;
        } finally {
            if (content != null) {
                Arrays.fill(content, (byte) 0);
            }
        }
        AscCredentials credentials = new AscCredentials(form.details().issuerId(), form.details().keyId(),
                key.privateKey());
        out.println("Verifying key " + credentials.keyId() + " (issuer " + credentials.issuerId() + ") against "
                + settings.ascApiUrl() + " …");
        VerificationReport report = new Verifier().verify(
                AscConnector.standard(settings.ascApiUrl().toString(), clock).open(credentials),
                new Verifier.Claims(form.details().teamId(), null, settings.vendorAppleId(), Set.of()), clock.instant());
        out.println(ReportText.describe(report));
        return report.verified() ? VERIFIED : NOT_VERIFIED;
    }

    private static byte[] read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] content = in.readNBytes(MAX_FILE + 1);
            if (content.length > MAX_FILE) {
                Arrays.fill(content, (byte) 0);
                throw new IOException("it is larger than " + MAX_FILE / 1024 + " KiB, so it is not an API key file");
            }
            return content;
        }
    }
}
