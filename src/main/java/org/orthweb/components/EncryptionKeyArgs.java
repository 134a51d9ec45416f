package org.orthweb.components;

import com.pulumi.core.Output;

import org.orthweb.naming.Naming;

/**
 * @param naming               physical names and Name tags
 * @param aws                  account, partition and region
 * @param deletionWindowInDays 7-30; a deleted key is recoverable for this long
 * @param protect              refuse to delete the key from Pulumi (hardened environments)
 * @param dataEventTrailArn    the CloudTrail trail that encrypts its log files with the key, or
 *                             null when the stack has none
 */
public record EncryptionKeyArgs(Naming naming, AwsContext aws, int deletionWindowInDays, boolean protect,
                                Output<String> dataEventTrailArn) {

    public EncryptionKeyArgs {
        if (deletionWindowInDays < 7 || deletionWindowInDays > 30) {
            throw new IllegalArgumentException("deletionWindowInDays must be 7-30");
        }
    }
}
