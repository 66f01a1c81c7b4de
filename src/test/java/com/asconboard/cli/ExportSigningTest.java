package com.asconboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code export-signing} refuses before it opens anything (the export itself: CertificateFlowTest). */
class ExportSigningTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    int export(Path out) throws Exception {
        Path password = dir.resolve("password.txt");
        Files.writeString(password, "correct horse battery\n");
        return ExportSigning.run(new String[] {"--ticket", "ASC-7", "--out", out.toString(), "--password-file",
                password.toString()}, Map.of("MASTER_KEY", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
                "DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath()), Clock.systemUTC(),
                prompt -> null, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @Test
    void a_symbolic_link_at_the_target_is_refused_and_what_it_points_to_is_left_alone() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.txt"), "someone else's file");
        Files.createSymbolicLink(out.resolve("ASC-7-distribution.p12"), elsewhere);

        assertThat(export(out)).isEqualTo(ExportSigning.REFUSED);

        assertThat(stderr.toString()).contains("ASC-7-distribution.p12 is a symbolic link", "Remove it");
        assertThat(Files.readString(elsewhere)).isEqualTo("someone else's file");
        assertThat(Files.isSymbolicLink(out.resolve("ASC-7-distribution.p12"))).isTrue();
    }

    @Test
    void a_dangling_link_or_a_folder_at_the_target_is_refused() throws Exception {
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.createSymbolicLink(out.resolve("ASC-7-distribution.p12"), dir.resolve("not-yet-there.p12"));
        assertThat(export(out)).isEqualTo(ExportSigning.REFUSED);
        assertThat(dir.resolve("not-yet-there.p12")).doesNotExist();

        Path other = Files.createDirectory(dir.resolve("other"));
        Files.createDirectory(other.resolve("ASC-7-distribution.p12"));
        assertThat(export(other)).isEqualTo(ExportSigning.REFUSED);
        assertThat(stderr.toString()).contains("not a regular file");
    }
}
