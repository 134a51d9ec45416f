package org.orthweb.pki;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared DICOM peers as the two gatekeepers on each host read them: nginx's njs check
 * ({@code dicom-peers.js}: certificate serial to peer and AE title) and Orthanc's
 * {@code DicomModalities} (AE titles allowed to echo and store). Both travel in the site TLS
 * secret (not in user data, whose 16 KB would hold only a handful of peers) and are written as
 * JSON by the bootstrap, so an AE title with quotes or dollar signs stays data.
 */
public final class DicomAccess {

    /** Port Orthanc would call a peer back on; never used (peers sit behind nginx, Orthanc never initiates). */
    static final int UNUSED_PEER_PORT = 104;

    /**
     * The jq program that makes Orthanc's {@code DicomModalities} file (orthanc-dicom.json): run on
     * the site TLS secret's document ({@link #hostSecret}) with {@code $declared} bound to the
     * rendered orthanc-modalities.json as {@code --slurpfile} binds it (an array of its one object).
     * The declared clients' entries ({@code .dicomModalities}) plus the declared modalities
     * ({@link org.orthweb.orthanc.OrthancSettings#dicomModalities}); {@code objects} makes a missing
     * or malformed part fail the program instead of writing a partial file. One text: the bootstrap
     * runs it with jq on every host, the local bundle with jackson-jq.
     */
    public static final String ORTHANC_DICOM_JQ =
            "{DicomModalities: ((.dicomModalities | objects) + ($declared[0] | objects))}";

    private DicomAccess() {
    }

    /** {@code {"<serial hex>": {"name": ..., "aet": ...}}}: the peers nginx admits, by certificate serial. */
    public static Map<String, Map<String, String>> njsTable(List<PeerGrant> peers) {
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        for (PeerGrant p : peers) {
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("name", p.name());
            entry.put("aet", p.aeTitle());
            table.put(p.serialHex(), entry);
        }
        return table;
    }

    /**
     * Orthanc's {@code DicomModalities}: one entry per peer, allowed to C-ECHO, C-STORE, C-FIND,
     * C-GET and C-MOVE (the move's destination must itself be a declared modality,
     * orthweb:orthanc.modalities); no storage commitment (option names of Orthanc 1.10's
     * Configuration.json, unchanged in 1.13). Host and port are placeholders: with
     * {@code DicomCheckModalityHost} false Orthanc matches a caller by AE title alone, and every
     * association reaches it from nginx anyway; Orthanc never calls a peer back (C-GET answers on
     * the peer's own association).
     */
    public static Map<String, Map<String, Object>> orthancModalities(List<PeerGrant> peers) {
        Map<String, Map<String, Object>> modalities = new LinkedHashMap<>();
        for (PeerGrant p : peers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("AET", p.aeTitle());
            m.put("Host", "127.0.0.1");
            m.put("Port", UNUSED_PEER_PORT);
            m.put("AllowEcho", true);
            m.put("AllowStore", true);
            // query/retrieve for declared peers: C-FIND, C-GET (the images come back on the peer's
            // own association, through nginx), and C-MOVE to a declared modality
            m.put("AllowFind", true);
            m.put("AllowGet", true);
            m.put("AllowMove", true);
            m.put("AllowStorageCommitment", false);
            modalities.put(p.name(), m);
        }
        return modalities;
    }

    /**
     * The site TLS secret's document: what every host needs, all of it fetched at boot.
     *
     * @return {@code {caCert, serverCert, serverKey, dicomPeers, dicomModalities}}
     */
    public static Map<String, Object> hostSecret(String caCert, String serverCert, String serverKey, List<PeerGrant> peers) {
        return hostSecret(caCert, serverCert, serverKey, peers, java.util.Optional.empty());
    }

    /**
     * Orthanc's own client identity for DICOM TLS to declared modalities (SCU): a certificate of
     * the site CA for client authentication, and its key.
     *
     * @param certificatePem the certificate (PEM)
     * @param privateKeyPem  its private key (PEM)
     */
    public record ClientIdentity(String certificatePem, String privateKeyPem) {
        @Override
        public String toString() {
            return "ClientIdentity[private key hidden]";
        }
    }

    /**
     * The site TLS secret's document, with Orthanc's client identity when a modality declares
     * {@code tls: true} (the bootstrap then requires it and writes it beside the server key).
     *
     * @return {@code {caCert, serverCert, serverKey, dicomPeers, dicomModalities}} and, with an
     * identity, {@code orthancScuCert} and {@code orthancScuKey}
     */
    public static Map<String, Object> hostSecret(String caCert, String serverCert, String serverKey, List<PeerGrant> peers,
                                                 java.util.Optional<ClientIdentity> orthancScu) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("caCert", caCert);
        doc.put("serverCert", serverCert);
        doc.put("serverKey", serverKey);
        doc.put("dicomPeers", njsTable(peers));
        doc.put("dicomModalities", orthancModalities(peers));
        orthancScu.ifPresent(id -> {
            doc.put("orthancScuCert", id.certificatePem());
            doc.put("orthancScuKey", id.privateKeyPem());
        });
        return doc;
    }
}
