package org.orthweb.pki;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ValidityTest {

    @Test
    void periodsAreDaysTimesTwentyFourHours() {
        // the reference's fault: a 3650-"day" CA that lives 3650 hours
        assertThat(Validity.CA.periodHours()).isEqualTo(87_600);
        assertThat(Validity.SERVER.periodHours()).isEqualTo(397 * 24);
        assertThat(Validity.PEER.periodHours()).isEqualTo(730 * 24);
        assertThat(Validity.PEER.earlyRenewalHours()).isEqualTo(720);
    }

    @Test
    void theCaOutlivesEveryCertificateItSignsAndRenewalWindowsFitInside() {
        for (Validity leaf : new Validity[]{Validity.SERVER, Validity.PEER}) {
            assertThat(Validity.CA.days).as(leaf.name()).isGreaterThan(2 * leaf.days);
            assertThat(leaf.earlyRenewalDays).isPositive().isLessThan(leaf.days / 4);
        }
        // a public CA could not issue the server certificate for longer (CA/B Forum BR 6.3.2)
        assertThat(Validity.SERVER.days).isLessThanOrEqualTo(398);
    }
}
