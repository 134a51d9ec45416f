package org.orthweb.cloudinit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ImageReference#parse} against the distribution reference grammar, a table of good
 * references (with the registry, repository, tag and digest each means) and of bad ones (with
 * the reason given), then the overrides of {@link AppImages#resolve} built on it.
 */
class ImageReferenceTest {

    private static final String SHA = "sha256:" + "0985e772fb9f729e6fa0980da05fca5d9c468e870eed43071545afa9d2e27d94";

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // reference                                       | canonical name                            | tag           | digest | pinned
            "nginx                                             | docker.io/library/nginx                   | -             | -      | false",
            "nginx:1.30.5-alpine                               | docker.io/library/nginx                   | 1.30.5-alpine | -      | true",
            "nginx:latest                                      | docker.io/library/nginx                   | latest        | -      | false",
            "orthancteam/orthanc:26.8.1                        | docker.io/orthancteam/orthanc             | 26.8.1        | -      | true",
            "localhost:5000/orthanc:26.8.1                     | localhost:5000/orthanc                    | 26.8.1        | -      | true",
            "localhost/orthanc:1                               | localhost/orthanc                         | 1             | -      | true",
            "registry.example.org:8443/team/sub/orthanc:v2_b.1 | registry.example.org:8443/team/sub/orthanc | v2_b.1       | -      | true",
            "192.168.1.10:5000/orthanc:1                       | 192.168.1.10:5000/orthanc                 | 1             | -      | true",
            "[::1]:5000/orthanc:1                              | [::1]:5000/orthanc                        | 1             | -      | true",
            "index.docker.io/library/nginx:1                   | docker.io/library/nginx                   | 1             | -      | true",
            "Example.com/orthanc:1                             | Example.com/orthanc                       | 1             | -      | true",
            "my__repo/a.b-c---d:TAG_1                          | docker.io/my__repo/a.b-c---d              | TAG_1         | -      | true",
            "nginx@SHA                                         | docker.io/library/nginx                   | -             | SHA    | true",
            "nginx:latest@SHA                                  | docker.io/library/nginx                   | latest        | SHA    | true",
            "localhost:5000/nginx:1.30.5-alpine@SHA            | localhost:5000/nginx                      | 1.30.5-alpine | SHA    | true",
    })
    void goodReferences(String text, String name, String tag, String digest, boolean pinned) {
        ImageReference ref = ImageReference.parse(text.replace("SHA", SHA));
        assertThat(ref.name()).isEqualTo(name);
        assertThat(ref.tag().orElse(null)).isEqualTo(tag);
        assertThat(ref.digest().orElse(null)).isEqualTo(digest == null ? null : SHA);
        assertThat(ref.pinned()).isEqualTo(pinned);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
            "''                                   | is empty",
            "' nginx:1'                           | white space",
            "nginx:1 ; rm -rf /                   | white space",
            "Nginx:1                              | upper-case repository name 'Nginx'",
            "team/Orthanc:1                       | upper-case repository name 'team/Orthanc'",
            "nginx:.1                             | invalid tag '.1'",
            "nginx:-1                             | invalid tag '-1'",
            "nginx:a/b                            | invalid registry 'nginx:a'",
            "nginx:                               | invalid tag ''",
            ":1                                   | no repository name",
            "a//b:1                               | empty path component",
            "a/:1                                 | empty path component",
            "-nginx:1                             | invalid path component '-nginx'",
            "nginx_:1                             | invalid path component 'nginx_'",
            "a___b:1                              | invalid path component 'a___b'",
            "exa_mple.com/orthanc:1               | invalid registry 'exa_mple.com'",
            "-example.com/orthanc:1               | invalid registry '-example.com'",
            "example.com:port/orthanc:1           | invalid registry 'example.com:port'",
            "nginx@sha256:abc                     | sha256 digest that is not 64 lower-case hex digits",
            "nginx@sha256:0985E772FB9F729E6FA0980DA05FCA5D9C468E870EED43071545AFA9D2E27D94 | not 64 lower-case hex",
            "nginx@md5:0123456789abcdef0123456789abcdef | unsupported algorithm 'md5'",
            "nginx@0123                           | invalid digest '0123'",
    })
    void badReferences(String text, String reason) {
        assertThatThrownBy(() -> ImageReference.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aNameLongerThan255IsRefused() {
        assertThatThrownBy(() -> ImageReference.parse("a".repeat(256) + ":1")).hasMessageContaining("longer than 255");
        assertThat(ImageReference.parse("a".repeat(255) + ":1").path()).hasSize(255 + "library/".length());
    }

    @Test
    void overridesMeanWhatTheGrammarSays() {
        String nginx = AppImages.DEFAULTS.get("nginx");
        String orthanc = AppImages.DEFAULTS.get("orthanc");
        String orthancName = orthanc.substring(0, orthanc.lastIndexOf(':'));
        Map<String, String> r = AppImages.resolve(Map.of(
                "orthanc", "localhost:5000/orthanc:26.8.1",
                "nginx", "nginx@" + SHA,
                "keycloak", ":26.5.0",
                "authService", "@" + SHA));
        assertThat(r).containsEntry("orthanc", "localhost:5000/orthanc:26.8.1")
                .containsEntry("nginx", "nginx@" + SHA)
                .containsEntry("keycloak", "orthancteam/orthanc-keycloak:26.5.0")
                .containsEntry("authService", AppImages.DEFAULTS.get("authService") + "@" + SHA);
        // a bare name is Docker Hub's official image, never a tag of the default: unpinned, refused
        assertThatThrownBy(() -> AppImages.resolve(Map.of("orthanc", "nginx")))
                .hasMessageContaining("'nginx' is docker.io/library/nginx:latest").hasMessageContaining("write ':nginx'")
                .hasMessageNotContaining(orthancName + ":nginx");
        assertThatThrownBy(() -> AppImages.resolve(Map.of("nginx", ":latest"))).hasMessageContaining("must be pinned");
        assertThatThrownBy(() -> AppImages.resolve(Map.of("nginx", ":bad tag"))).hasMessageContaining("invalid image reference");
        assertThat(nginx).isNotEmpty();
    }
}
