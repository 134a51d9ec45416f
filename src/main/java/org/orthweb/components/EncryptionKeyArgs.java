package org.orthweb.components;

import org.orthweb.naming.Naming;

/**
 * @param naming               physical names and Name tags
 * @param aws                  account, partition and region
 * @param deletionWindowInDays 7-30; a deleted key is recoverable for this long
 * @param protect              refuse to delete the key from Pulumi (hardened environments)
 */
public record EncryptionKeyArgs(Naming naming, AwsContext aws, int deletionWindowInDays, boolean protect) {

    public EncryptionKeyArgs {
        if (deletionWindowInDays < 7 || deletionWindowInDays > 30) {
            throw new IllegalArgumentException("deletionWindowInDays must be 7-30");
        }
    }
}
