package org.orthweb.pki;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DicomAccessTest {

    private final List<PeerGrant> peers = List.of(new PeerGrant("ct-scanner-1", "CT1", "0A1B"),
            new PeerGrant("ws", "WS \"$1\"", "F00D"));

    @Test
    void theHostSecretCarriesTheTlsMaterialAndBothTablesOfTheSamePeers() {
        Map<String, Object> doc = DicomAccess.hostSecret("CA", "CERT", "KEY", peers);
        assertThat(doc).containsOnlyKeys("caCert", "serverCert", "serverKey", "dicomPeers", "dicomModalities")
                .containsEntry("caCert", "CA").containsEntry("serverKey", "KEY");
        assertThat(DicomAccess.njsTable(peers)).containsOnlyKeys("0A1B", "F00D")
                .containsEntry("F00D", Map.of("name", "ws", "aet", "WS \"$1\""));
    }

    @Test
    void orthancsClientIdentityJoinsTheSecretOnlyWhenGiven() {
        var identity = new DicomAccess.ClientIdentity("SCU-CERT", "SCU-KEY");
        Map<String, Object> doc = DicomAccess.hostSecret("CA", "CERT", "KEY", peers, java.util.Optional.of(identity));
        assertThat(doc).containsEntry("orthancScuCert", "SCU-CERT").containsEntry("orthancScuKey", "SCU-KEY");
        assertThat(DicomAccess.hostSecret("CA", "CERT", "KEY", peers, java.util.Optional.empty()))
                .doesNotContainKeys("orthancScuCert", "orthancScuKey");
        // a log line or exception message with the identity shows no key
        assertThat(identity.toString()).doesNotContain("SCU-KEY");
    }

    @Test
    void eachPeerMayEchoStoreQueryAndRetrieveButNotCommit() {
        Map<String, Object> ct = DicomAccess.orthancModalities(peers).get("ct-scanner-1");
        assertThat(ct).containsEntry("AET", "CT1").containsEntry("AllowStore", true).containsEntry("AllowEcho", true)
                .containsEntry("AllowFind", true).containsEntry("AllowGet", true).containsEntry("AllowMove", true)
                .containsEntry("AllowStorageCommitment", false);
    }
}
