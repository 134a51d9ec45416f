package org.orthweb.pki;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the TLS terminator and Orthanc need to admit one peer, all public facts: its name, the
 * calling AE title it must use, and its certificate's serial number as nginx's
 * {@code $ssl_client_serial} shows it.
 *
 * @param name      the peer's name (a DNS label)
 * @param aeTitle   the only calling AE title accepted with this certificate
 * @param serialHex upper-case hexadecimal serial, two digits per byte ({@link #serialHex(String)})
 */
public record PeerGrant(String name, String aeTitle, String serialHex) {

    private static final Pattern HEX = Pattern.compile("([0-9A-F]{2}){1,20}");

    public PeerGrant {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(aeTitle, "aeTitle");
        if (!HEX.matcher(serialHex).matches()) {
            throw new IllegalArgumentException("serialHex of peer " + name + " is not an upper-case hex serial: " + serialHex);
        }
    }

    /** A grant from the provider's decimal serial (the certificate resource's id). */
    public static PeerGrant of(DicomPeer peer, String decimalSerial) {
        return new PeerGrant(peer.name(), peer.effectiveAeTitle(), serialHex(decimalSerial));
    }

    /**
     * The serial as nginx prints {@code $ssl_client_serial}: OpenSSL's {@code i2a_ASN1_INTEGER}
     * writes each byte of the (positive) integer's magnitude as two upper-case hex digits, so a
     * leading zero nibble is kept ({@code 0A1B...}) and no sign byte appears. Certificate serials
     * are positive and at most 20 bytes (RFC 5280 4.1.2.2).
     *
     * @throws IllegalArgumentException if {@code decimal} is not a positive integer of at most 20 bytes
     */
    public static String serialHex(String decimal) {
        BigInteger serial;
        try {
            serial = new BigInteger(decimal);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("certificate serial is not a decimal number: '" + decimal + "'");
        }
        if (serial.signum() <= 0 || serial.bitLength() > 160) {
            throw new IllegalArgumentException("certificate serial out of range (1 to 20 bytes): " + decimal);
        }
        String hex = serial.toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 1 ? "0" + hex : hex;
    }
}
