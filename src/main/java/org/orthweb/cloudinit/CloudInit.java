package org.orthweb.cloudinit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * Renders the host's cloud-config from the templates under {@code cloud-init/} (packaged on the
 * class path) and encodes it the way EC2 receives it.
 */
public final class CloudInit {

    private CloudInit() {
    }

    /** The cloud-config text (what cloud-init reads after decoding). */
    public static String userData(UserDataInputs in) {
        return Render.files(in).get(Render.USER_DATA);
    }

    /** The user data as the launch template carries it: gzip, then base64 (cloud-init unzips). */
    public static String encode(String cloudConfig) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(cloudConfig.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}
