package org.orthweb.cloudinit;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
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
        Map<String, Object> scope = new HashMap<>();
        scope.put("stack", in.stack());
        scope.put("environment", in.environment());
        scope.put("region", in.region());
        scope.put("siteName", in.siteName());
        scope.put("dbHost", in.dbHost());
        scope.put("dbPort", in.dbPort());
        scope.put("dbSecretArn", in.dbSecretArn());
        scope.put("appSecretArn", in.appSecretArn());
        scope.put("bucketName", in.bucketName());
        scope.put("containerLogGroup", in.containerLogGroup());
        return render("cloud-init/user-data.yaml.mustache", scope);
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

    static String render(String template, Map<String, Object> scope) {
        // Not HTML: Mustache's default HTML escaping would corrupt YAML and shell text.
        DefaultMustacheFactory factory = new DefaultMustacheFactory() {
            @Override
            public void encode(String value, java.io.Writer writer) {
                try {
                    writer.write(value);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
        Mustache mustache = factory.compile(template);
        StringWriter out = new StringWriter();
        mustache.execute(out, scope);
        return out.toString();
    }
}
