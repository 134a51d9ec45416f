package org.orthweb.cloudinit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * A stand-in for RDS IAM database authentication on a local PostgreSQL, for the conformance
 * tests. What RDS does, and what stands in for it here:
 * <ul>
 * <li>Members of {@code rds_iam} sign in with a token instead of a password; the server asks the
 *     client for the password in clear text (over TLS) and checks it outside PostgreSQL. Here:
 *     a {@code pg_hba.conf} line {@code hostssl all +rds_iam ... pam} and a PAM service whose
 *     {@code pam_exec} checker accepts a token this stand-in issued, for the user it was issued
 *     to, within its lifetime.</li>
 * <li>A token lives 15 minutes and is checked only at login (RDS User Guide, "IAM database
 *     authentication"). Here: the lifetime is a file the test may shorten (seconds).</li>
 * <li>{@code aws rds generate-db-auth-token --hostname H --port P --username U} prints a
 *     SigV4-presigned URL {@code H:P/?Action=connect&DBUser=U&X-Amz-...} (about 1,000 to 1,500
 *     characters with an instance role's session token). Here: a token of the same shape and
 *     length with random parts, so that its {@code ':'} and its length go through the password
 *     files as a real one would.</li>
 * </ul>
 * Limits: {@code pam_exec} hands the checker less than 512 bytes of the password
 * (PAM_MAX_RESP_SIZE), so a token is recognised by its first 256 characters, which hold its
 * random nonce; a client that cut a token after those would not be caught here.
 * Needs root (a file under /etc/pam.d); one stand-in per JVM, its PAM service removed when the
 * JVM exits.
 */
final class RdsIamStandIn {

    /** Seconds a token lives unless a test shortens it: RDS's 15 minutes. */
    static final int DEFAULT_LIFETIME_SECONDS = 900;

    private static RdsIamStandIn instance;

    /** Shared by every environment of this JVM (a site's hosts sign in to one database). */
    final Path dir;
    final String pamService;
    final Path pamFile;
    final Path issuer;

    private RdsIamStandIn() throws IOException {
        dir = Files.createTempDirectory("orthweb-rds-iam");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path issued = dir.resolve("issued");
        Files.createDirectories(issued);
        Files.setPosixFilePermissions(issued, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("lifetime"), DEFAULT_LIFETIME_SECONDS + "\n");
        Path log = dir.resolve("logins.log");
        Files.writeString(log, "");
        // the checker runs as the server's user: it appends to the log
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path checker = dir.resolve("check-token");
        Files.writeString(checker, String.join("\n",
                "#!/bin/bash",
                "# pam_exec expose_authtok: the client's password (under 512 bytes, NUL-terminated) on stdin;",
                "# a token is known by its first 256 characters (its random nonce is among them)",
                "h=$(head -c 256 | tr -d '\\000' | sha256sum | cut -c1-64)",
                "now=$(date +%s)",
                "lifetime=$(<'" + dir.resolve("lifetime") + "')",
                "f='" + issued + "'/$h",
                "if [[ ! -f $f ]]; then echo \"$now refused $PAM_USER unknown-token\" >>'" + log + "'; exit 1; fi",
                "read -r user at <\"$f\"",
                "if [[ $user != \"$PAM_USER\" ]]; then echo \"$now refused $PAM_USER other-user\" >>'" + log + "'; exit 1; fi",
                "if (( now - at >= lifetime )); then echo \"$now refused $PAM_USER expired ${h:0:12}\" >>'" + log + "'; exit 1; fi",
                "echo \"$now accepted $PAM_USER ${h:0:12}\" >>'" + log + "'",
                ""));
        Files.setPosixFilePermissions(checker, PosixFilePermissions.fromString("rwxr-xr-x"));
        issuer = dir.resolve("generate-db-auth-token");
        Files.writeString(issuer, String.join("\n",
                "#!/bin/bash",
                "# stand-in for `aws rds generate-db-auth-token`: prints a token and records it as issued",
                "set -euo pipefail",
                "# the checker runs as the server's user and must read what was issued (callers may umask 077)",
                "umask 022",
                "while [[ $# -gt 0 ]]; do case $1 in --hostname) host=$2 ;; --port) port=$2 ;; --username) user=$2 ;;"
                        + " --region) region=$2 ;; esac; shift; done",
                "[[ -n ${host:-} && -n ${port:-} && -n ${user:-} && -n ${region:-} ]] || "
                        + "{ echo 'aws: error: the following arguments are required' >&2; exit 252; }",
                "nonce=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \\n')",
                "session=$(head -c 900 /dev/urandom | base64 -w0 | tr '+/' '-_')",
                "date=$(date -u +%Y%m%dT%H%M%SZ)",
                "token=\"$host:$port/?Action=connect&DBUser=$user&X-Amz-Nonce=$nonce&X-Amz-Algorithm=AWS4-HMAC-SHA256"
                        + "&X-Amz-Credential=ASIAEXAMPLE%2F${date:0:8}%2F$region%2Frds-db%2Faws4_request&X-Amz-Date=$date"
                        + "&X-Amz-Expires=900&X-Amz-Security-Token=$session&X-Amz-SignedHeaders=host"
                        + "&X-Amz-Signature=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n')\"",
                "h=$(printf '%s' \"${token:0:256}\" | sha256sum | cut -c1-64)",
                "printf '%s %s\\n' \"$user\" \"$(date +%s)\" >'" + issued + "'/$h",
                "printf '%s\\n' \"$token\"",
                ""));
        Files.setPosixFilePermissions(issuer, PosixFilePermissions.fromString("rwxr-xr-x"));
        pamService = "orthweb-rds-iam-" + UUID.randomUUID().toString().substring(0, 8);
        pamFile = Path.of("/etc/pam.d", pamService);
        Files.writeString(pamFile, "# test stand-in for RDS IAM authentication (orthweb conformance tests); removed at exit\n"
                + "auth required pam_exec.so expose_authtok quiet " + checker + "\n"
                + "account required pam_permit.so\n");
        Runtime.getRuntime().addShutdownHook(new Thread(this::remove));
    }

    /** The JVM's stand-in; skips (or fails on CI) when this process cannot install a PAM service. */
    static synchronized RdsIamStandIn get() {
        if (instance == null) {
            Tools.require("/etc/pam.d", "/usr/lib/x86_64-linux-gnu/security/pam_exec.so", "sha256sum", "base64", "od");
            if (!Tools.isRoot()) {
                String reason = "the RDS IAM stand-in needs root (a PAM service under /etc/pam.d)";
                if (Tools.onCi()) {
                    org.junit.jupiter.api.Assertions.fail(reason);
                }
                org.junit.jupiter.api.Assumptions.abort(reason);
            }
            try {
                instance = new RdsIamStandIn();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** The pg_hba.conf line that sends members of rds_iam through the token check (before the password line). */
    String hbaLine(String clients) {
        return "hostssl all +rds_iam " + clients + " pam pamservice=" + pamService + "\n";
    }

    /** Token lifetime from now on (seconds); checked at each login. */
    void lifetime(int seconds) {
        try {
            Files.writeString(dir.resolve("lifetime"), seconds + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checker's log, one line per login attempt: epoch seconds, accepted/refused, user, token hash prefix. */
    List<String> logins() {
        try {
            return Files.readAllLines(dir.resolve("logins.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void remove() {
        try {
            Files.deleteIfExists(pamFile);
        } catch (IOException ignored) {
            // best effort at exit
        }
        if (!"true".equals(System.getenv("ORTHWEB_KEEP_TEST_DIR"))) {
            Tools.run("rm", "-rf", dir.toString());
        }
    }
}
