package org.orthweb.pki;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One DICOM peer of the site (a modality, router or workstation that sends over DICOM TLS), as
 * declared in {@code orthweb:dicom.clients}: it gets its own key and client certificate, and may
 * store only under its calling AE title. Validation is {@link DicomPeers#problems}.
 *
 * @param name    DNS-label-like identifier (lower-case letters, digits, inner hyphens, 1-63
 *                characters): the certificate's common name and the key of every per-peer fact
 * @param aeTitle the calling AE title the peer uses; empty means {@link #defaultAeTitle} of the name
 */
public record DicomPeer(String name, Optional<String> aeTitle) {

    public DicomPeer {
        Objects.requireNonNull(name, "name");
        aeTitle = aeTitle == null ? Optional.empty() : aeTitle;
    }

    public static DicomPeer named(String name) {
        return new DicomPeer(name, Optional.empty());
    }

    public static DicomPeer of(String name, String aeTitle) {
        return new DicomPeer(name, Optional.of(aeTitle));
    }

    /**
     * The AE title this peer's certificate is bound to: the declared one, or the name in upper
     * case cut to 16 characters. Every peer is bound to exactly one AE title, because Orthanc
     * (with {@code DicomAlwaysAllowStore} false) accepts a store only from a declared AE title.
     */
    public String effectiveAeTitle() {
        return aeTitle.orElseGet(() -> defaultAeTitle(name));
    }

    static String defaultAeTitle(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.length() > DicomPeers.AE_TITLE_MAX ? upper.substring(0, DicomPeers.AE_TITLE_MAX) : upper;
    }
}
