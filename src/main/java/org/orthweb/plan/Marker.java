package org.orthweb.plan;

/**
 * What a reader of a plan needs to notice about a resource. The plan text shows them as
 * {@code [label]} after the resource; {@link PlanPrinter#LEGEND} explains each; the JSON lists
 * their labels.
 */
public enum Marker {
    /** Reachable from the internet: a public address, or a firewall rule that admits a public network. */
    INTERNET("internet", "reachable from the internet (public address, or a rule admitting public networks)"),
    /** Stores or processes patient data (protected health information). */
    PHI("PHI", "stores or processes patient data (DICOM files, the Orthanc index, the hosts that handle them)"),
    /** Pulumi's {@code protect} option: {@code pulumi destroy} refuses until it is removed. */
    PROTECT("protect", "Pulumi protect: destroy refuses to delete it until the option is removed"),
    /** AWS bills it while it exists (hours, storage, requests or a monthly fee). */
    COST("cost", "AWS bills it while it exists (hours, storage, requests or a monthly fee)"),
    /**
     * A host instance or the launch template that drives it: a change to it, or to a setting it
     * carries, replaces the host(s) ({@link org.orthweb.components.OrthancHost#HOST_REPLACING_SETTINGS}).
     */
    REPLACES_HOST("replaces-host", "a change here replaces the host(s); these settings do: "
            + String.join(", ", org.orthweb.components.OrthancHost.HOST_REPLACING_SETTINGS));

    private final String label;
    private final String meaning;

    Marker(String label, String meaning) {
        this.label = label;
        this.meaning = meaning;
    }

    /** The word shown in brackets and in the JSON. */
    public String label() {
        return label;
    }

    /** One line for the legend. */
    public String meaning() {
        return meaning;
    }
}
