package org.orthweb.components;

import com.pulumi.aws.cloudwatch.LogGroup;
import com.pulumi.aws.cloudwatch.LogGroupArgs;
import com.pulumi.aws.ec2.SecurityGroup;
import com.pulumi.aws.ec2.SecurityGroupArgs;
import com.pulumi.aws.iam.Role;
import com.pulumi.aws.iam.RoleArgs;
import com.pulumi.aws.iam.RolePolicyAttachment;
import com.pulumi.aws.iam.RolePolicyAttachmentArgs;
import com.pulumi.aws.rds.Instance;
import com.pulumi.aws.rds.InstanceArgs;
import com.pulumi.aws.rds.ParameterGroup;
import com.pulumi.aws.rds.ParameterGroupArgs;
import com.pulumi.aws.rds.SubnetGroup;
import com.pulumi.aws.rds.SubnetGroupArgs;
import com.pulumi.aws.rds.inputs.ParameterGroupParameterArgs;
import com.pulumi.aws.vpc.SecurityGroupEgressRule;
import com.pulumi.aws.vpc.SecurityGroupEgressRuleArgs;
import com.pulumi.aws.vpc.SecurityGroupIngressRule;
import com.pulumi.aws.vpc.SecurityGroupIngressRuleArgs;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import com.pulumi.resources.CustomResourceOptions;
import com.pulumi.resources.Resource;
import org.orthweb.naming.Policies;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orthanc's index database: RDS PostgreSQL in the private subnets, reachable on 5432 only from the
 * hosts' security group, TLS forced, storage and logs under the stack's key, enhanced monitoring,
 * IAM authentication (the application's roles sign in with IAM tokens, see
 * {@code orthweb-db-auth}), backups; the master password is generated, stored and rotated by RDS
 * itself (a managed secret under the stack's key), read only by the one-time provisioning.
 */
public final class OrthancDatabase extends ComponentResource {

    public static final String TYPE = "orthweb:index:OrthancDatabase";
    public static final int PORT = 5432;
    /** Not "postgres" or "admin" (RDS.25): a guessable master name is half a credential. */
    public static final String MASTER_USER = "orthweb_admin";
    public static final String DB_NAME = "orthancdb";
    public static final String BACKUP_WINDOW = "03:00-04:00";
    public static final String MAINTENANCE_WINDOW = "sun:05:00-sun:06:00";
    public static final String CA_CERTIFICATE = "rds-ca-rsa2048-g1";
    public static final int MONITORING_INTERVAL_SECONDS = 60;
    public static final List<String> LOG_EXPORTS = List.of("postgresql", "upgrade");

    public final Output<String> address;
    public final Output<Integer> port;
    public final Output<String> masterSecretArn;
    public final Output<String> securityGroupId;
    public final Output<String> resourceId;
    /** The instance's ARN (AWS Backup selects the database by it). */
    public final Output<String> instanceArn;
    /** The DB instance identifier (the CloudWatch dimension DBInstanceIdentifier). */
    public final Output<String> identifier;

    public OrthancDatabase(String name, OrthancDatabaseArgs args, ComponentResourceOptions options) {
        super(TYPE, name, options);
        var naming = args.naming();
        var db = args.database();
        var child = CustomResourceOptions.builder().parent(this).build();
        var safe = args.safeguards();

        var sg = new SecurityGroup(name + "-sg", SecurityGroupArgs.builder()
                .vpcId(args.vpcId())
                .description("Orthanc database: PostgreSQL from the Orthanc hosts only")
                .tags(naming.tags("db-sg"))
                .build(), child);
        new SecurityGroupIngressRule(name + "-from-hosts", SecurityGroupIngressRuleArgs.builder()
                .securityGroupId(sg.id())
                .description("PostgreSQL from the Orthanc hosts")
                .ipProtocol("tcp").fromPort(PORT).toPort(PORT)
                .referencedSecurityGroupId(args.clientSecurityGroupId())
                .build(), under(sg));
        // The hosts' only way out besides HTTPS: lives here because it names this group.
        new SecurityGroupEgressRule(name + "-hosts-to-db", SecurityGroupEgressRuleArgs.builder()
                .securityGroupId(args.clientSecurityGroupId())
                .description("PostgreSQL to the Orthanc database")
                .ipProtocol("tcp").fromPort(PORT).toPort(PORT)
                .referencedSecurityGroupId(sg.id())
                .build(), under(sg));

        var subnets = new SubnetGroup(name + "-subnets", SubnetGroupArgs.builder()
                .name(naming.name("db-subnets"))
                .description("Private subnets of the Orthanc database")
                .subnetIds(Output.all(args.privateSubnetIds()))
                .tags(naming.tags("db-subnets"))
                .build(), child);

        // A major upgrade changes the family, which AWS cannot change in place: the group is replaced.
        // Its name carries the major, so Pulumi's default replacement (create the new group, update
        // the instance to it, delete the old one last) never collides on the name; do not add
        // deleteBeforeReplace, which would delete the group the running instance still uses.
        var parameters = new ParameterGroup(name + "-params", ParameterGroupArgs.builder()
                .name(naming.name("postgres" + db.majorVersion()))
                .family("postgres" + db.majorVersion())
                .description("Orthanc PostgreSQL: TLS only, connection and statement logging")
                .parameters(parameters())
                .tags(naming.tags("db-params"))
                .build(), child);

        Output<String> identifier = naming.name("orthancdb");
        List<Resource> logGroups = new ArrayList<>();
        for (String log : LOG_EXPORTS) {
            // Pre-created so that retention and encryption are ours, not RDS's defaults.
            logGroups.add(new LogGroup(name + "-log-" + log, LogGroupArgs.builder()
                    .name(identifier.applyValue(id -> "/aws/rds/instance/" + id + "/" + log))
                    .retentionInDays(args.logRetentionDays())
                    .kmsKeyId(args.kmsKeyArn())
                    .tags(naming.tags("db-log-" + log))
                    .build(), child));
        }

        var monitoringRole = new Role(name + "-monitoring-role", RoleArgs.builder()
                .name(naming.name("rds-monitoring"))
                .description("RDS enhanced monitoring of the Orthanc database")
                .assumeRolePolicy(Policies.assumeRoleBy("monitoring.rds.amazonaws.com"))
                .tags(naming.tags("rds-monitoring"))
                .build(), child);
        new RolePolicyAttachment(name + "-monitoring-policy", RolePolicyAttachmentArgs.builder()
                .role(monitoringRole.name())
                .policyArn("arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole")
                .build(), under(monitoringRole));

        var instanceArgs = InstanceArgs.builder();
        if (db.allowMajorVersionUpgrade()) {
            // only while a major upgrade is wanted (README "Upgrading PostgreSQL"): otherwise the
            // provider's default (false) makes RDS refuse a major change
            instanceArgs.allowMajorVersionUpgrade(true);
        }
        var instance = new Instance(name + "-instance", instanceArgs
                .identifier(identifier)
                .engine("postgres")
                .engineVersion(db.engineVersion())
                .instanceClass(db.instanceClass())
                .allocatedStorage(db.allocatedStorageGiB())
                .storageType("gp3")
                .storageEncrypted(true)
                .kmsKeyId(args.kmsKeyArn())
                .dbName(DB_NAME)
                .username(MASTER_USER)
                // RDS generates the master password, keeps it in a Secrets Manager secret under the
                // stack's key and rotates it (managed rotation, every 7 days, no Lambda): RDS User
                // Guide "Password management with Amazon RDS and AWS Secrets Manager". Only the
                // bootstrap's one-time provisioning reads it; no application ever uses it.
                .manageMasterUserPassword(true)
                .masterUserSecretKmsKeyId(args.kmsKeyArn())
                .port(PORT)
                .dbSubnetGroupName(subnets.name())
                .vpcSecurityGroupIds(sg.id().applyValue(List::of))
                .parameterGroupName(parameters.name())
                .publiclyAccessible(false)
                .multiAz(db.multiAz())
                .backupRetentionPeriod(db.backupRetentionDays())
                .backupWindow(BACKUP_WINDOW)
                .maintenanceWindow(MAINTENANCE_WINDOW)
                .autoMinorVersionUpgrade(true)
                .copyTagsToSnapshot(true)
                .caCertIdentifier(CA_CERTIFICATE)
                .enabledCloudwatchLogsExports(LOG_EXPORTS)
                .monitoringInterval(MONITORING_INTERVAL_SECONDS)
                .monitoringRoleArn(monitoringRole.arn())
                .iamDatabaseAuthenticationEnabled(true)
                .performanceInsightsEnabled(safe.performanceInsights())
                .performanceInsightsKmsKeyId(safe.performanceInsights() ? args.kmsKeyArn() : Output.ofNullable(null))
                .performanceInsightsRetentionPeriod(safe.performanceInsights() ? Output.of(7) : Output.ofNullable(null))
                .deletionProtection(safe.deletionProtection())
                .skipFinalSnapshot(!safe.finalSnapshot())
                .finalSnapshotIdentifier(safe.finalSnapshot() ? identifier.applyValue(id -> id + "-final") : Output.ofNullable(null))
                .deleteAutomatedBackups(!safe.finalSnapshot())
                .applyImmediately(safe.applyImmediately())
                .tags(naming.tags("orthancdb"))
                .build(), CustomResourceOptions.builder().parent(this).protect(safe.protect())
                .dependsOn(logGroups).build());

        this.address = instance.address();
        this.port = instance.port();
        // the secret RDS made for the master user (one element: RDS keeps one per instance)
        this.masterSecretArn = instance.masterUserSecrets().applyValue(secrets -> secrets.isEmpty()
                ? null : secrets.get(0).secretArn().orElse(null));
        this.securityGroupId = sg.id();
        this.resourceId = instance.resourceId();
        this.instanceArn = instance.arn();
        this.identifier = instance.identifier();
        registerOutputs(Map.of("address", address, "port", port, "masterSecretArn", masterSecretArn,
                "securityGroupId", securityGroupId));
    }

    /**
     * TLS is forced (the reference left it optional) and at least 1.2; connections and slow or
     * schema-changing statements are logged (the logs may hold PHI: their groups are encrypted).
     */
    static List<ParameterGroupParameterArgs> parameters() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("rds.force_ssl", "1");
        values.put("ssl_min_protocol_version", "TLSv1.2");
        values.put("log_connections", "1");
        values.put("log_disconnections", "1");
        values.put("log_statement", "ddl");
        values.put("log_min_duration_statement", "1000");
        List<ParameterGroupParameterArgs> list = new ArrayList<>();
        values.forEach((k, v) -> list.add(ParameterGroupParameterArgs.builder()
                .name(k).value(v)
                // static parameters only apply after a reboot; pending-reboot is accepted for all
                .applyMethod("pending-reboot")
                .build()));
        return list;
    }

    private static CustomResourceOptions under(Resource parent) {
        return CustomResourceOptions.builder().parent(parent).build();
    }
}
