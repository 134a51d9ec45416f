package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.naming.Naming;

import java.util.List;

/**
 * @param naming             physical names and Name tags
 * @param kmsKeyArn          key encrypting the secret
 * @param keys               JSON keys, one generated value each
 * @param recoveryWindowDays days a deleted secret can be restored (7-30)
 * @param protect            Pulumi protect (hardened environments)
 */
public record ApplicationSecretsArgs(Naming naming, Output<String> kmsKeyArn, List<String> keys, int recoveryWindowDays,
                                     boolean protect) {
    public ApplicationSecretsArgs {
        keys = List.copyOf(keys);
    }
}
