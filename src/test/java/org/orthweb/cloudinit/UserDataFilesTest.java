package org.orthweb.cloudinit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UserDataFilesTest {

    @Test
    void readsBackExactlyTheFilesTheRendererPutIn() {
        Render.Host host = Render.host(Fixtures.inputs());
        String carried = UserDataFiles.decode(CloudInit.encode(host.userData()));
        assertThat(carried).isEqualTo(host.userData());
        Map<String, String> received = new LinkedHashMap<>(UserDataFiles.files(carried));
        assertThat(received).containsOnlyKeys(Render.FETCH_SCRIPT, Render.BOOT_SCRIPT);
        received.putAll(HostBundle.read(host.bundle().tar()));
        assertThat(received).containsExactlyEntriesOf(host.files());
    }

    @Test
    void plainBase64AndEncodedEntriesAreDecodedToo() {
        String config = "#cloud-config\nwrite_files:\n  - path: /etc/a\n    encoding: b64\n    content: "
                + Base64.getEncoder().encodeToString("hello\n".getBytes(StandardCharsets.UTF_8)) + "\n";
        String b64 = Base64.getEncoder().encodeToString(config.getBytes(StandardCharsets.UTF_8));
        assertThat(UserDataFiles.decode(b64)).isEqualTo(config);
        assertThat(UserDataFiles.files(config)).containsExactly(Map.entry("/etc/a", "hello\n"));
    }

    @Test
    void notACloudConfig() {
        assertThatThrownBy(() -> UserDataFiles.files("write_files: [unclosed")).hasMessageContaining("not a YAML cloud-config");
    }
}
