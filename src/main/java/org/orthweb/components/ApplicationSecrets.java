package org.orthweb.components;

import com.pulumi.aws.secretsmanager.Secret;
import com.pulumi.aws.secretsmanager.SecretArgs;
import com.pulumi.aws.secretsmanager.SecretVersion;
import com.pulumi.aws.secretsmanager.SecretVersionArgs;
import com.pulumi.core.Output;
import com.pulumi.random.RandomPassword;
import com.pulumi.random.RandomPasswordArgs;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import org.orthweb.naming.Policies;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The application's generated secrets (Keycloak admin and client secret, database role
 * passwords, service keys): generated at deploy time by the random provider, kept in state as
 * secrets, and stored as one JSON object in a Secrets Manager secret under the stack's key. The
 * host reads it at boot with its role, so no secret is in user data and no step is manual.
 */
public final class ApplicationSecrets extends ComponentResource {

    public static final String TYPE = "orthweb:index:ApplicationSecrets";
    public static final int LENGTH = 32;

    public final Output<String> secretArn;

    public ApplicationSecrets(String name, ApplicationSecretsArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var child = CustomResourceOptions.builder().parent(this).build();
        Map<String, Output<String>> values = new LinkedHashMap<>();
        for (String key : args.keys()) {
            values.put(key, generated(name + "-" + key, child));
        }
        var secret = new Secret(name + "-secret", SecretArgs.builder()
                .name(args.naming().prefix().applyValue(p -> p + "/orthweb/app"))
                .description("Generated secrets of the Orthanc application stack")
                .kmsKeyId(args.kmsKeyArn())
                .recoveryWindowInDays(args.recoveryWindowDays())
                .tags(args.naming().tags("app-secret"))
                .build(), CustomResourceOptions.builder().parent(this).protect(args.protect()).build());
        new SecretVersion(name + "-secret-value", SecretVersionArgs.builder()
                .secretId(secret.id())
                .secretString(json(values).asSecret())
                .build(), CustomResourceOptions.builder().parent(secret).build());
        this.secretArn = secret.arn();
        registerOutputs(Map.of("secretArn", secretArn));
    }

    /** A 32-character alphanumeric value: URL-, shell- and JSON-safe, about 190 bits. */
    static Output<String> generated(String name, CustomResourceOptions options) {
        return new RandomPassword(name, RandomPasswordArgs.builder()
                .length(LENGTH)
                .special(false)
                .minLower(1).minUpper(1).minNumeric(1)
                .build(), options).result();
    }

    static Output<String> json(Map<String, Output<String>> values) {
        List<String> keys = List.copyOf(values.keySet());
        return Output.all(List.copyOf(values.values())).applyValue(list -> {
            Map<String, String> doc = new LinkedHashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                doc.put(keys.get(i), list.get(i));
            }
            return Policies.toJson(doc);
        });
    }
}
