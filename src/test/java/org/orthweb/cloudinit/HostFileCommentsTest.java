package org.orthweb.cloudinit;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Template comments stay in the templates where the host copy must fit EC2's user-data cap. */
class HostFileCommentsTest {

    @Test
    void commentLinesAreDroppedAndEverythingElseKept() {
        assertThat(Render.withoutCommentLines("# why\nlisten 443;\n    # indented why\n  a # not a comment line\n\n"))
                .isEqualTo("listen 443;\n  a # not a comment line\n\n");
        assertThat(Render.withoutCommentLines("only\n")).isEqualTo("only\n");
    }

    @Test
    void hostCopiesOfCommentedTemplatesCarryNoCommentLineButTheBootstrapKeepsItsOwn() throws Exception {
        Map<String, String> files = Render.files(Fixtures.inputs());
        for (Render.HostFile f : Render.HOST_FILES) {
            String template = Files.readString(Path.of("cloud-init/files/" + f.template() + ".mustache"));
            String host = files.get(f.path());
            if (f.dropComments()) {
                assertThat(template).as(f.template() + " explains itself").containsPattern("(?m)^\\s*#");
                assertThat(host).as(f.path()).doesNotContainPattern("(?m)^\\s*#");
            }
        }
        assertThat(files.get("/usr/local/sbin/orthweb-bootstrap")).startsWith("#!/bin/bash").contains("# shellcheck");
    }
}
