package org.orthweb;

/** Names of the stack outputs that describe DICOM access; the program exports them, the CLI reads them. */
public final class DicomOutputs {

    /** The AE title peers must call (Orthanc's {@code DicomAet}). */
    public static final String CALLED_AE_TITLE = "dicomCalledAeTitle";
    /** The site CA certificate (PEM); peers verify the server with it. */
    public static final String CA_CERTIFICATE = "dicomCaCertificate";
    /** Secret: per peer name, {@code {name, aeTitle, certificate, privateKey, caCertificate}}. */
    public static final String PEERS = "dicomPeers";
    /** The Secrets Manager secret holding the same peer material (operators, not hosts, read it). */
    public static final String PEER_SECRET_ARN = "dicomPeerSecretArn";
    /** The endpoints ("host:port") modalities connect to (exported with the site URLs). */
    public static final String ENDPOINTS = "dicomEndpoints";
    /** Per peer, the {@code dicom-client} command that writes its client certificate, key and the site CA. */
    public static final String CLIENT_KIT_COMMANDS = "dicomClientKitCommands";
    /**
     * Orthanc's own client certificate (PEM, public) when a declared modality is called over DICOM
     * TLS: for the modality's administrator, who trusts {@link #CA_CERTIFICATE} or pins this one.
     */
    public static final String ORTHANC_CLIENT_CERTIFICATE = "dicomOrthancClientCertificate";

    private DicomOutputs() {
    }
}
