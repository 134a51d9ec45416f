package org.orthweb.config;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The instant certificates in the configuration must be valid at ({@code caCertificate} of a DICOM
 * TLS modality): now, for every command that builds or changes the stack. A certificate expires
 * with time, not by an edit, so a stack file valid yesterday can hold an expired one today; that
 * must not stop the stack from being destroyed. {@link #withoutExpiry} reads a configuration with
 * every other check but that one, on the calling thread.
 */
public final class CertificateClock {

    private static final ThreadLocal<Boolean> IGNORING = ThreadLocal.withInitial(() -> false);

    private CertificateClock() {
    }

    /** The instant to check validity at; empty inside {@link #withoutExpiry}. */
    public static Optional<Instant> now() {
        return IGNORING.get() ? Optional.empty() : Optional.of(Instant.now());
    }

    /**
     * Runs {@code action} with certificate validity dates not checked (on this thread).
     *
     * @return what {@code action} returns
     */
    public static <T> T withoutExpiry(Supplier<T> action) {
        boolean before = IGNORING.get();
        IGNORING.set(true);
        try {
            return action.get();
        } finally {
            IGNORING.set(before);
        }
    }
}
