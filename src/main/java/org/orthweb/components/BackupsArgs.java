package org.orthweb.components;

import com.pulumi.aws.Provider;
import com.pulumi.core.Output;
import org.orthweb.naming.Naming;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Inputs of {@link Backups}.
 *
 * @param naming        names and tags
 * @param aws           account and partition (ARNs of the managed policies, the copy key's policy)
 * @param kmsKeyArn     the stack's key: encrypts the vault
 * @param resourceArns  what is backed up, selected by ARN: the database, and the data bucket when chosen
 * @param retentionDays days each daily recovery point is kept (35 or more, from the declaration)
 * @param copy          the second region's vault, when copies are configured
 * @param protect       Pulumi {@code protect} on the vault (hardened stacks)
 * @param forceDestroy  whether {@code pulumi destroy} may delete a vault that still holds recovery points
 */
public record BackupsArgs(Naming naming, AwsContext aws, Output<String> kmsKeyArn, List<Output<String>> resourceArns,
                          int retentionDays, Optional<CopyRegion> copy, boolean protect, boolean forceDestroy) {

    /**
     * Where copies go.
     *
     * @param region   the second region (never the stack's own)
     * @param provider an AWS provider for that region, with the stack's default tags
     */
    public record CopyRegion(String region, Provider provider) {
        public CopyRegion {
            Objects.requireNonNull(region);
            Objects.requireNonNull(provider);
        }
    }

    public BackupsArgs {
        Objects.requireNonNull(naming);
        Objects.requireNonNull(kmsKeyArn);
        resourceArns = List.copyOf(resourceArns);
        if (resourceArns.isEmpty()) {
            throw new IllegalArgumentException("backups need at least one resource to back up");
        }
    }
}
