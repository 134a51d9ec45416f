package org.orthweb.pki;

import org.orthweb.config.ConfigException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The rules a list of DICOM peers must meet, as pure functions. */
public final class DicomPeers {

    /** The setting that declares the peers (the messages name it). */
    public static final String SETTING = "orthweb:dicom.clients";
    /** DICOM PS3.5 table 6.2-1, VR AE: at most 16 characters. */
    public static final int AE_TITLE_MAX = 16;
    static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private DicomPeers() {
    }

    /**
     * Every problem of {@code peers}, each naming the setting, the peer and what is allowed; empty
     * when the list is valid. Names must be DNS-label-like and unique; AE titles (declared or
     * derived from the name) must be valid DICOM AE values and unique ignoring case (as Orthanc
     * compares them); leading and trailing spaces are not significant in DICOM, so they are refused.
     */
    public static List<String> problems(List<DicomPeer> peers) {
        List<String> problems = new ArrayList<>();
        if (peers.isEmpty()) {
            problems.add(SETTING + " is empty: declare at least one peer ({name: ct-scanner-1, aeTitle: CT1}); "
                    + "with none, no modality could send over DICOM TLS");
        }
        Map<String, String> names = new HashMap<>();
        Map<String, String> aeTitles = new HashMap<>();
        for (int i = 0; i < peers.size(); i++) {
            DicomPeer peer = peers.get(i);
            String where = SETTING + "[" + i + "]";
            if (!NAME.matcher(peer.name()).matches()) {
                problems.add(where + ".name '" + printable(peer.name()) + "' is not allowed: use 1-63 lower-case "
                        + "letters, digits and inner hyphens (a DNS label), e.g. ct-scanner-1");
                continue;
            }
            if (names.putIfAbsent(peer.name(), where) != null) {
                problems.add(where + ".name '" + peer.name() + "' is declared twice (also " + names.get(peer.name()) + ")");
            }
            peer.aeTitle().ifPresent(ae -> aeTitleProblem(ae).ifPresent(p -> problems.add(where + ".aeTitle " + p)));
            String ae = peer.effectiveAeTitle();
            if (aeTitleProblem(ae).isEmpty()) {
                // Orthanc compares AE titles ignoring case unless StrictAetComparison: so do we
                String other = aeTitles.putIfAbsent(ae.toUpperCase(java.util.Locale.ROOT), peer.name());
                if (other != null) {
                    problems.add(where + ": AE title '" + ae + "' is also the AE title of peer '" + other + "'"
                            + (peer.aeTitle().isEmpty() ? " (derived from the name; declare aeTitle)" : "")
                            + "; each peer needs its own");
                }
            }
        }
        return problems;
    }

    /** Throws a {@link ConfigException} listing every problem, before any resource is registered. */
    public static List<DicomPeer> validate(List<DicomPeer> peers) {
        List<String> problems = problems(peers);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return List.copyOf(peers);
    }

    /**
     * Why {@code ae} is not a valid AE value, or empty: 1-16 characters of the DICOM default
     * repertoire (printable ASCII) without backslash and control characters (PS3.5 6.2, VR AE),
     * not all spaces, and (our stricter rule, since they are not significant) no leading or
     * trailing space.
     */
    public static java.util.Optional<String> aeTitleProblem(String ae) {
        if (ae.isEmpty() || ae.length() > AE_TITLE_MAX) {
            return java.util.Optional.of("'" + printable(ae) + "' must have 1-16 characters (DICOM VR AE)");
        }
        for (int i = 0; i < ae.length(); i++) {
            char c = ae.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '\\') {
                return java.util.Optional.of("'" + printable(ae) + "' contains a character DICOM does not allow in an AE "
                        + "title (backslash, control or non-ASCII characters)");
            }
        }
        if (ae.isBlank() || ae.charAt(0) == ' ' || ae.charAt(ae.length() - 1) == ' ') {
            return java.util.Optional.of("'" + printable(ae) + "' must not start or end with a space");
        }
        return java.util.Optional.empty();
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.toString();
    }
}
