package org.orthweb.cloudinit;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A template that reads a value the renderer did not provide fails, naming template and variable. */
class RenderStrictTest {

    private static final Map<String, Object> SCOPE = Map.of(
            "siteName", "",
            "bucketName", "orthweb-data",
            "images", Map.of("nginx", "nginx:1.29"),
            "layout", Map.of("httpsPort", 443));

    @Test
    void aMisspeltVariableFailsNamingTemplateAndVariable() {
        assertThatThrownBy(() -> Render.render("render-strict/misspelt.mustache", SCOPE))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("template render-strict/misspelt.mustache reads {{bucketNmae}}, which the renderer did not provide");
    }

    @Test
    void aMissingNameInsideASectionFailsToo() {
        assertThatThrownBy(() -> Render.render("render-strict/nested.mustache", SCOPE))
                .hasMessageContaining("reads {{nosuch}}");
    }

    @Test
    void providedValuesRenderIncludingEmptyOnes() {
        assertThat(Render.render("render-strict/complete.mustache", SCOPE)).isEqualTo("site: \nnginx: nginx:1.29\n");
    }
}
