package org.orthweb.pki;

import org.junit.jupiter.api.Test;
import org.orthweb.config.ConfigException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DicomPeersTest {

    @Test
    void validPeersPassAndTheAeTitleDefaultsToTheNameInUpperCase() {
        List<DicomPeer> peers = List.of(DicomPeer.of("ct-scanner-1", "CT1"), DicomPeer.named("router"),
                DicomPeer.named("a-very-long-modality-name"));
        assertThat(DicomPeers.problems(peers)).isEmpty();
        assertThat(peers.get(0).effectiveAeTitle()).isEqualTo("CT1");
        assertThat(peers.get(1).effectiveAeTitle()).isEqualTo("ROUTER");
        assertThat(peers.get(2).effectiveAeTitle()).isEqualTo("A-VERY-LONG-MODA").hasSize(16);
        // the DICOM AE repertoire is wider than the name's: spaces inside, punctuation
        assertThat(DicomPeers.problems(List.of(DicomPeer.of("ws", "WS 1 $\"{};"))))
                .isEmpty();
    }

    @Test
    void namesMustBeDnsLabels() {
        for (String bad : List.of("", "CT", "-ct", "ct-", "ct_1", "ct.1", "ct 1", "a".repeat(64), "ct\n1")) {
            assertThat(DicomPeers.problems(List.of(DicomPeer.named(bad)))).as("'%s'", bad).singleElement()
                    .asString().startsWith(DicomPeers.SETTING + "[0].name").contains("DNS label");
        }
        assertThat(DicomPeers.problems(List.of(DicomPeer.named("a".repeat(63))))).isEmpty();
    }

    @Test
    void aeTitlesFollowTheDicomAeRules() {
        for (String bad : List.of("", "SEVENTEEN-LETTERS", "CT\\1", "CT\t1", "CT\u00e91", " CT1", "CT1 ", "   ")) {
            assertThat(DicomPeers.problems(List.of(DicomPeer.of("ct", bad)))).as("'%s'", bad)
                    .anyMatch(p -> p.startsWith(DicomPeers.SETTING + "[0].aeTitle"));
        }
        assertThat(DicomPeers.problems(List.of(DicomPeer.of("ct", "SIXTEEN-LETTERS!")))).isEmpty();
    }

    @Test
    void namesAndAeTitlesAreUniqueAeTitlesIgnoringCaseAsOrthancDoes() {
        assertThat(DicomPeers.problems(List.of(DicomPeer.named("ct"), DicomPeer.named("ct"))))
                .anyMatch(p -> p.contains("'ct' is declared twice"));
        assertThat(DicomPeers.problems(List.of(DicomPeer.of("a", "CT1"), DicomPeer.of("b", "ct1"))))
                .singleElement().asString().contains("also the AE title of peer 'a'");
        // derived titles collide too, and the message says how to fix it
        assertThat(DicomPeers.problems(List.of(DicomPeer.named("radiology-modality-1"),
                DicomPeer.named("radiology-modality-2")))).singleElement().asString().contains("declare aeTitle");
    }

    @Test
    void anEmptyListIsRefusedAndValidateThrowsEveryProblemAtOnce() {
        assertThat(DicomPeers.problems(List.of())).singleElement().asString().contains("is empty");
        assertThatThrownBy(() -> DicomPeers.validate(List.of(DicomPeer.named("BAD"), DicomPeer.of("ok", "A\\B"))))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(2));
    }
}
