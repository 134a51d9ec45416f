package org.orthweb.examples;

import org.junit.jupiter.api.Test;
import org.orthweb.config.StackConfig;
import org.orthweb.support.TestStacks;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedding example is compiled with the tests (in a package of its own, so it can use only
 * the public API); these check that its config part works and that the documentation shows it
 * as it is. Its up() needs a real Pulumi CLI, backend and AWS account, which CI does not have.
 */
class EmbeddingExampleTest {

    private static final Path PROJECT = Path.of("").toAbsolutePath();

    @Test
    void theExampleMakesAValidConfigPerClinic() {
        StackConfig config = EmbeddingExample.clinicConfig("north", TestStacks.stackFile("dev"));

        assertThat(config.stack()).isEqualTo("clinic-north");
        assertThat(config.owner()).isEqualTo("north-imaging");
        assertThat(config.site().name()).contains("pacs.north.example.org");
    }

    @Test
    void theDocumentationShowsTheExampleAsCompiled() throws Exception {
        String source = Files.readString(PROJECT.resolve("src/test/java/org/orthweb/examples/EmbeddingExample.java"));
        String example = source.substring(source.indexOf("// example:start\n") + "// example:start\n".length(),
                source.indexOf("// example:end"));

        assertThat(read(PROJECT.resolve("README.md"))).as("README.md shows the embedding example as compiled")
                .contains(example);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
