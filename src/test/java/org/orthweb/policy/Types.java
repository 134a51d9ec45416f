package org.orthweb.policy;

/** Pulumi type tokens of the resources the policy tests look at. */
final class Types {
    static final String KMS_KEY = "aws:kms/key:Key";
    static final String VPC = "aws:ec2/vpc:Vpc";
    static final String SUBNET = "aws:ec2/subnet:Subnet";
    static final String ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
    static final String ROUTE = "aws:ec2/route:Route";
    static final String ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation";
    static final String INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway";
    static final String NAT_GATEWAY = "aws:ec2/natGateway:NatGateway";
    static final String EGRESS_ONLY_IGW = "aws:ec2/egressOnlyInternetGateway:EgressOnlyInternetGateway";
    static final String VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
    static final String FLOW_LOG = "aws:ec2/flowLog:FlowLog";
    static final String DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
    static final String SG = "aws:ec2/securityGroup:SecurityGroup";
    static final String SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
    static final String SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
    static final String SG_RULE_LEGACY = "aws:ec2/securityGroupRule:SecurityGroupRule";
    static final String BUCKET = "aws:s3/bucketV2:BucketV2";
    static final String BUCKET_LEGACY = "aws:s3/bucket:Bucket";
    static final String BUCKET_PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
    static final String BUCKET_SSE = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2";
    static final String BUCKET_VERSIONING = "aws:s3/bucketVersioningV2:BucketVersioningV2";
    static final String BUCKET_LOGGING = "aws:s3/bucketLoggingV2:BucketLoggingV2";
    static final String BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy";
    static final String BUCKET_OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
    static final String BUCKET_LIFECYCLE = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2";
    static final String BUCKET_ACL = "aws:s3/bucketAclV2:BucketAclV2";
    static final String DB_INSTANCE = "aws:rds/instance:Instance";
    static final String DB_SUBNET_GROUP = "aws:rds/subnetGroup:SubnetGroup";
    static final String DB_PARAMETER_GROUP = "aws:rds/parameterGroup:ParameterGroup";
    static final String LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
    static final String LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
    static final String LB_LISTENER = "aws:lb/listener:Listener";
    static final String LB_TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
    static final String AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
    static final String SECRET = "aws:secretsmanager/secret:Secret";
    static final String SECRET_VERSION = "aws:secretsmanager/secretVersion:SecretVersion";
    static final String SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
    static final String LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
    static final String INSTANCE = "aws:ec2/instance:Instance";
    static final String BUCKET_OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
    static final String ROLE = "aws:iam/role:Role";
    static final String ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
    static final String ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
    static final String IAM_POLICY = "aws:iam/policy:Policy";
    static final String INSTANCE_PROFILE = "aws:iam/instanceProfile:InstanceProfile";
    static final String BACKUP_VAULT = "aws:backup/vault:Vault";
    static final String BACKUP_PLAN = "aws:backup/plan:Plan";
    static final String BACKUP_SELECTION = "aws:backup/selection:Selection";
    static final String SNS_TOPIC = "aws:sns/topic:Topic";
    static final String SNS_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
    static final String METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
    static final String BUDGET = "aws:budgets/budget:Budget";
    static final String AWS_PROVIDER = "pulumi:providers:aws";
    static final String VPC_ENDPOINT_POLICY = "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy";
    static final String CLOUDTRAIL_TRAIL = "aws:cloudtrail/trail:Trail";
    static final String RANDOM_PASSWORD = "random:index/randomPassword:RandomPassword";
    static final String TLS_PRIVATE_KEY = "tls:index/privateKey:PrivateKey";

    private Types() {
    }
}
