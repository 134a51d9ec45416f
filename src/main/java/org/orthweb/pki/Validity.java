package org.orthweb.pki;

/**
 * How long the site's certificates live. The tls provider takes {@code validityPeriodHours} and
 * {@code earlyRenewalHours} in hours; every period is stated here in days and converted in one
 * place, {@link #hours}, because mixing the two units is a known fault: the reference project's
 * Client VPN CA passes its "valid days" setting as hours, so a 3650-day CA lives 152 days
 * (digihunch/orthweb {@code terraform/modules/client-vpn/main.tf}, see research/anchors-and-designs.md).
 */
public enum Validity {

    /** The site CA: ten years; it is never renewed early (a new CA means new material for every peer). */
    CA(3650, 0),
    /**
     * The server certificate: 397 days, the most a publicly trusted TLS server certificate may have
     * (CA/Browser Forum Baseline Requirements 6.3.2), renewed by {@code pulumi up} in its last 30 days.
     */
    SERVER(397, 30),
    /**
     * A DICOM peer's client certificate: two years, since every renewal means handing the peer new
     * material; re-issued by {@code pulumi up} in its last 30 days (then hand it over again).
     */
    PEER(730, 30);

    public final int days;
    public final int earlyRenewalDays;

    Validity(int days, int earlyRenewalDays) {
        this.days = days;
        this.earlyRenewalDays = earlyRenewalDays;
    }

    /** The validity period in hours, as the provider's {@code validityPeriodHours} expects. */
    public int periodHours() {
        return hours(days);
    }

    /** The early-renewal window in hours ({@code earlyRenewalHours}). */
    public int earlyRenewalHours() {
        return hours(earlyRenewalDays);
    }

    /** Days to hours: the one conversion of the PKI. */
    public static int hours(int days) {
        return Math.multiplyExact(days, 24);
    }
}
