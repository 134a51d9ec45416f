package org.orthweb.components;

import com.pulumi.aws.backup.Plan;
import com.pulumi.aws.backup.PlanArgs;
import com.pulumi.aws.backup.Selection;
import com.pulumi.aws.backup.SelectionArgs;
import com.pulumi.aws.backup.Vault;
import com.pulumi.aws.backup.VaultArgs;
import com.pulumi.aws.backup.inputs.PlanRuleArgs;
import com.pulumi.aws.backup.inputs.PlanRuleCopyActionArgs;
import com.pulumi.aws.backup.inputs.PlanRuleCopyActionLifecycleArgs;
import com.pulumi.aws.backup.inputs.PlanRuleLifecycleArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.aws.kms.Key;
import com.pulumi.aws.kms.KeyArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import org.orthweb.naming.Policies;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.orthweb.naming.Policies.document;
import static org.orthweb.naming.Policies.statement;

/**
 * AWS Backup for the stack: a vault encrypted with the stack's key, a plan with one daily rule
 * (snapshot backups kept {@code retentionDays}), an optional copy of each recovery point into a
 * vault in a second region, and a selection of the resources by ARN with a role that holds AWS's
 * managed backup and restore policies.
 *
 * <p>The rule takes snapshots, not continuous backups: continuous backup of RDS makes AWS Backup
 * manage the instance's automated backups (AWS Backup guide, "Point-in-time recovery"), which
 * would fight the {@code backupRetentionPeriod} this program sets. Point-in-time restore comes
 * from RDS's own automated backups; AWS Backup adds daily points kept longer and, optionally,
 * in another region. The restore procedure is in the README ("Restoring").
 */
public final class Backups extends ComponentResource {

    public static final String TYPE = "orthweb:index:Backups";

    /** 05:00 UTC, after the database's backup window (03:00-04:00) so the two never overlap. */
    static final String SCHEDULE = "cron(0 5 * * ? *)";
    /** Minutes a job may wait to start, and to finish (AWS Backup's defaults are 480 and 10080). */
    static final int START_WINDOW_MINUTES = 60;
    static final int COMPLETION_WINDOW_MINUTES = 360;

    /**
     * AWS managed policies of the backup role (AWS Backup guide, "Managed policies for AWS
     * Backup"): backup and restore for RDS and the other services, plus the S3-specific pair,
     * which AWS keeps separate.
     */
    static final List<String> MANAGED_POLICIES = List.of(
            "service-role/AWSBackupServiceRolePolicyForBackup",
            "service-role/AWSBackupServiceRolePolicyForRestores",
            "AWSBackupServiceRolePolicyForS3Backup",
            "AWSBackupServiceRolePolicyForS3Restore");

    public final Output<String> vaultName;
    public final Output<String> vaultArn;
    public final Output<String> planId;
    public final Output<String> roleArn;

    public Backups(String name, BackupsArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var naming = args.naming();
        var child = CustomResourceOptions.builder().parent(this).build();

        var vault = new Vault(name + "-vault", VaultArgs.builder()
                .name(naming.name("backup-vault"))
                .kmsKeyArn(args.kmsKeyArn())
                .forceDestroy(args.forceDestroy())
                .tags(naming.tags("backup-vault"))
                .build(), CustomResourceOptions.builder().parent(this).protect(args.protect()).build());

        List<PlanRuleCopyActionArgs> copies = new ArrayList<>();
        args.copy().ifPresent(copy -> {
            // a vault's key must live in the vault's region: the copy gets a key of its own,
            // administered by the account like the stack's key (AWS Backup uses it through the role)
            var copyKey = new Key(name + "-copy-key", KeyArgs.builder()
                    .description(naming.name("orthweb").applyValue(n -> "Orthweb stack " + n + ": backup copies"))
                    .enableKeyRotation(true)
                    .deletionWindowInDays(30)
                    .policy(Output.tuple(args.aws().partition(), args.aws().accountId())
                            .applyValue(t -> copyKeyPolicy(t.t1, t.t2)))
                    .tags(naming.tags("backup-copy-key"))
                    .build(), CustomResourceOptions.builder().parent(this).provider(copy.provider()).protect(args.protect()).build());
            var copyVault = new Vault(name + "-copy-vault", VaultArgs.builder()
                    .name(naming.name("backup-vault-copy"))
                    .kmsKeyArn(copyKey.arn())
                    .forceDestroy(args.forceDestroy())
                    .tags(naming.tags("backup-vault-copy"))
                    .build(), CustomResourceOptions.builder().parent(this).provider(copy.provider()).protect(args.protect()).build());
            copies.add(PlanRuleCopyActionArgs.builder()
                    .destinationVaultArn(copyVault.arn())
                    .lifecycle(PlanRuleCopyActionLifecycleArgs.builder().deleteAfter(args.retentionDays()).build())
                    .build());
        });

        var plan = new Plan(name + "-plan", PlanArgs.builder()
                .name(naming.name("backup-plan"))
                .rules(PlanRuleArgs.builder()
                        .ruleName("daily")
                        .targetVaultName(vault.name())
                        .schedule(SCHEDULE)
                        .startWindow(START_WINDOW_MINUTES)
                        .completionWindow(COMPLETION_WINDOW_MINUTES)
                        .lifecycle(PlanRuleLifecycleArgs.builder().deleteAfter(args.retentionDays()).build())
                        .copyActions(copies)
                        // recovery points are created by AWS Backup, out of the provider's reach
                        .recoveryPointTags(naming.stackTags("backup"))
                        .build())
                .tags(naming.tags("backup-plan"))
                .build(), child);

        var role = new Role(name + "-role", RoleArgs.builder()
                .name(naming.name("backup-role"))
                .assumeRolePolicy(Policies.assumeRoleBy("backup.amazonaws.com"))
                .tags(naming.tags("backup-role"))
                .build(), child);
        for (String policy : MANAGED_POLICIES) {
            String suffix = policy.substring(policy.lastIndexOf('/') + 1).replace("AWSBackupServiceRolePolicyFor", "");
            new RolePolicyAttachment(name + "-role-" + suffix.toLowerCase(), RolePolicyAttachmentArgs.builder()
                    .role(role.name())
                    .policyArn(args.aws().partition().applyValue(p -> "arn:" + p + ":iam::aws:policy/" + policy))
                    .build(), CustomResourceOptions.builder().parent(role).build());
        }

        new Selection(name + "-selection", SelectionArgs.builder()
                .name(naming.name("backup-selection"))
                .planId(plan.id())
                .iamRoleArn(role.arn())
                .resources(Output.all(args.resourceArns()))
                .build(), child);

        this.vaultName = vault.name();
        this.vaultArn = vault.arn();
        this.planId = plan.id();
        this.roleArn = role.arn();
        registerOutputs(Map.of("vaultName", vaultName, "vaultArn", vaultArn, "planId", planId, "roleArn", roleArn));
    }

    /** Key policy of the copy key: the account administers and uses it through IAM, nothing else. */
    static String copyKeyPolicy(String partition, String account) {
        return document(List.of(statement("AccountAdministersKeyThroughIam", "Allow", "kms:*", Map.of(
                "Principal", Map.of("AWS", "arn:" + partition + ":iam::" + account + ":root"),
                "Resource", "*"))));
    }
}
