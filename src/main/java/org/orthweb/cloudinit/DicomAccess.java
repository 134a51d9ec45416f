package org.orthweb.cloudinit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.orthweb.pki.PeerGrant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared DICOM peers as the two gatekeepers read them: nginx's njs check (certificate
 * serial to peer and AE title) and Orthanc's {@code DicomModalities} (AE title allowed to store).
 * Both are rendered as JSON by Jackson, so an AE title with quotes or dollar signs stays data.
 */
final class DicomAccess {

    /** Port Orthanc would call a peer back on; never used (peers sit behind nginx, Orthanc never initiates). */
    static final int UNUSED_PEER_PORT = 104;
    // compact: every byte counts against the 16 KB of user data
    private static final ObjectMapper JSON = new ObjectMapper();

    private DicomAccess() {
    }

    /** {@code {"<serial hex>": {"name": ..., "aet": ...}}}: the peers nginx admits, by certificate serial. */
    static String njsTable(List<PeerGrant> peers) {
        Map<String, Map<String, String>> table = new LinkedHashMap<>();
        for (PeerGrant p : peers) {
            table.put(p.serialHex(), Map.of("name", p.name(), "aet", p.aeTitle()));
        }
        return write(table);
    }

    /**
     * Orthanc's {@code DicomModalities}: one entry per peer, allowed to C-ECHO and C-STORE only
     * (option names of Orthanc 1.10's Configuration.json, unchanged in 1.13). Host and port are
     * placeholders: with {@code DicomCheckModalityHost} false Orthanc matches a caller by AE
     * title alone, and every association reaches it from nginx anyway.
     */
    static String orthancModalities(List<PeerGrant> peers) {
        Map<String, Map<String, Object>> modalities = new LinkedHashMap<>();
        for (PeerGrant p : peers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("AET", p.aeTitle());
            m.put("Host", "127.0.0.1");
            m.put("Port", UNUSED_PEER_PORT);
            m.put("AllowEcho", true);
            m.put("AllowStore", true);
            m.put("AllowFind", false);
            m.put("AllowGet", false);
            m.put("AllowMove", false);
            m.put("AllowStorageCommitment", false);
            modalities.put(p.name(), m);
        }
        return write(modalities);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
