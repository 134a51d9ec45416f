package org.orthweb.policy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.orthweb.config.Environment;
import org.orthweb.policy.PolicyExceptions.PolicyException;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exception list stays honest: every exception still matches a real deviation in each stack
 * it is meant for (a stale one fails here: remove it and let the control be enforced), no
 * deviation appears outside its documented scope, and the security README lists each one.
 */
@DisplayName("Policy exceptions")
class PolicyExceptionsTest {

    @ForEachStack
    @DisplayName("every exception still occurs in each stack of its scope, and only there")
    void exceptionsAreNeededAndScoped(String stack) {
        var s = PolicyStack.of(stack);
        for (PolicyException e : PolicyExceptions.ALL) {
            List<String> found = e.occurrencesIn(s);
            if (e.appliesTo(s)) {
                assertThat(found).as("%s (%s) no longer occurs in stack %s: the exception is stale, remove it", e.id(),
                        String.join(", ", e.controls()), stack).isNotEmpty();
            } else {
                assertThat(found).as("%s (%s) occurs in stack %s, outside its scope (%s)", e.id(),
                        String.join(", ", e.controls()), stack, e.scopeText()).isEmpty();
            }
        }
    }

    @Test
    @DisplayName("each exception names controls, a resource and a reason; ids are unique")
    void exceptionsAreWrittenDown() {
        var ids = new HashSet<String>();
        for (PolicyException e : PolicyExceptions.ALL) {
            assertThat(ids.add(e.id())).as("duplicate id %s", e.id()).isTrue();
            assertThat(e.controls()).as(e.id()).isNotEmpty();
            assertThat(e.resource()).as(e.id()).isNotBlank();
            assertThat(e.reason()).as(e.id()).hasSizeGreaterThan(40);
            assertThat(e.scopeText()).as(e.id()).isNotBlank();
        }
    }

    @Test
    @DisplayName("docs/security.md lists every exception with its controls")
    void documented() throws IOException {
        String doc = Files.readString(PolicyStack.projectRoot().resolve("docs/security.md"));
        for (PolicyException e : PolicyExceptions.ALL) {
            assertThat(doc).as("docs/security.md mentions %s", e.id()).contains(e.id());
            for (String control : e.controls()) {
                assertThat(doc).as("docs/security.md mentions %s of %s", control, e.id()).contains(control);
            }
        }
    }

    @Test
    @DisplayName("stack files are discovered, not listed: dev and prod at least; prod is hardened")
    void stackDiscovery() {
        assertThat(PolicyStack.stackNames()).contains("dev", "prod");
        assertThat(PolicyStack.of("prod").config().environment()).isEqualTo(Environment.PRD);
        assertThat(PolicyStack.of("prod").hardened()).isTrue();
        assertThat(PolicyStack.of("dev").hardened()).isFalse();
    }

    @ForEachStack
    @DisplayName("harness: the recorded mock answers are those the plan's inputs refer to")
    void harnessIsConsistent(String stack) {
        var s = PolicyStack.of(stack);
        String vpcId = s.id(s.single(Types.VPC).name());
        assertThat(s.ofType(Types.SUBNET)).allMatch(sub -> vpcId.equals(PolicyStack.str(sub, "vpcId")));
        assertThat(s.plan().outputs().get("kmsKeyArn")).isEqualTo(s.keyArn());
    }
}
