package org.orthweb.cost;

import org.orthweb.plan.Plan;
import org.orthweb.plan.Plan.PlannedResource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The estimated fixed monthly cost of a plan: what the stack costs per month while it exists and
 * does nothing, from a {@link PriceTable}. Usage-based charges (storage growth, requests, data
 * transfer, capacity units) are named in {@link #usageCharges}, never guessed. Resource kinds the
 * estimator knows no price for are listed in {@link #unpriced} instead of being counted as free.
 *
 * @param priceRegion  region of the price table
 * @param priceDate    date of the price table
 * @param stackRegion  region the stack deploys to (prices differ when it is not {@code priceRegion})
 * @param lines        one line per priced kind and size, in a stable order
 * @param totalUsd     sum of the lines, US dollars per month, rounded to cents
 * @param usageCharges charges that depend on use, for the kinds present in the plan
 * @param unpriced     resource types (or types with a size, e.g. an instance type) the table lacks
 * @param perResource  logical resource name to its share of the total (US dollars per month, cents)
 */
public record CostEstimate(String priceRegion, String priceDate, String stackRegion, List<Line> lines,
                           double totalUsd, List<String> usageCharges, List<String> unpriced,
                           Map<String, Double> perResource) {

    /**
     * One priced line.
     *
     * @param kind       what is charged, e.g. "EC2 instance t3.medium"
     * @param quantity   how many units (instances, GiB, addresses, Availability Zones...)
     * @param unit       the unit of {@code quantity}
     * @param monthlyUsd US dollars per month for the whole quantity, rounded to cents
     */
    public record Line(String kind, double quantity, String unit, double monthlyUsd) {

        /**
         * The quantity with its unit as a reader expects it: "1 instance", "5 alarms",
         * "2 addresses", "20 GiB" (a unit symbol takes no plural), "1.5 GiB".
         */
        public String quantityText() {
            boolean whole = quantity == Math.rint(quantity);
            String number = whole ? String.valueOf((long) quantity) : String.valueOf(quantity);
            boolean plural = quantity != 1 && !unit.equals("GiB");
            return number + " " + (!plural ? unit : unit.endsWith("s") ? unit + "es" : unit + "s");
        }
    }

    static final String EC2_INSTANCE = "aws:ec2/instance:Instance";
    static final String LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
    static final String AUTOSCALING_GROUP = "aws:autoscaling/group:Group";
    static final String SUBNET = "aws:ec2/subnet:Subnet";
    static final String EIP = "aws:ec2/eip:Eip";
    static final String EIP_ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation";
    static final String RDS_INSTANCE = "aws:rds/instance:Instance";
    static final String KMS_KEY = "aws:kms/key:Key";
    static final String SECRET = "aws:secretsmanager/secret:Secret";
    static final String VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
    static final String LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
    static final String CLIENT_VPN_ASSOCIATION = "aws:ec2clientvpn/networkAssociation:NetworkAssociation";
    static final String METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

    /** Kinds with no fixed monthly charge, each with the usage charge it can bring (or null). */
    static final Map<String, String> NO_FIXED_CHARGE = noFixedCharge();

    private static Map<String, String> noFixedCharge() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("aws:s3/bucketV2:BucketV2", "S3 storage, requests and retrievals (per GiB-month and per request)");
        m.put("aws:cloudwatch/logGroup:LogGroup", "CloudWatch Logs ingestion and storage (per GiB)");
        m.put("aws:ec2/flowLog:FlowLog", "VPC flow log delivery to S3 (per GiB)");
        m.put("aws:cloudtrail/trail:Trail", "CloudTrail data events (per 100,000 events) and their S3 storage");
        m.put("aws:backup/vault:Vault", "AWS Backup storage (per GiB-month) and cross-region copies (per GiB)");
        m.put("aws:backup/plan:Plan", null);
        m.put("aws:backup/selection:Selection", null);
        m.put("aws:sns/topic:Topic", "SNS notifications (e-mail deliveries beyond the free tier)");
        m.put("aws:sns/topicSubscription:TopicSubscription", null);
        m.put("aws:budgets/budget:Budget", null);
        m.put("aws:ec2clientvpn/endpoint:Endpoint", "Client VPN connection-hours (per connected client per hour)");
        m.put("aws:ec2clientvpn/authorizationRule:AuthorizationRule", null);
        m.put("aws:acm/certificate:Certificate", null);
        m.put("aws:cloudwatch/logStream:LogStream", null);
        m.put("aws:lb/listener:Listener", null);
        m.put("aws:lb/targetGroup:TargetGroup", null);
        m.put("aws:autoscaling/attachment:Attachment", null);
        m.put("aws:s3/bucketObjectv2:BucketObjectv2", null);
        for (String free : List.of(
                "aws:ec2/vpc:Vpc", SUBNET, "aws:ec2/internetGateway:InternetGateway", "aws:ec2/routeTable:RouteTable",
                "aws:ec2/route:Route", "aws:ec2/routeTableAssociation:RouteTableAssociation",
                "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
                "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:ec2/keyPair:KeyPair",
                LAUNCH_TEMPLATE, EIP_ASSOCIATION, "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy", "aws:kms/alias:Alias", "aws:secretsmanager/secretVersion:SecretVersion",
                "aws:rds/parameterGroup:ParameterGroup", "aws:rds/subnetGroup:SubnetGroup", "aws:iam/role:Role",
                "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
                "aws:iam/policy:Policy", "aws:iam/instanceProfile:InstanceProfile",
                "aws:s3/bucketVersioningV2:BucketVersioningV2",
                "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
                "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketPolicy:BucketPolicy",
                "aws:s3/bucketLoggingV2:BucketLoggingV2", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
                "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
                // on main since the cost branch: the hosts' application bundle (an object in the
                // data bucket: its storage is the bucket's) and the S3 endpoint's policy
                "aws:s3/bucketObjectv2:BucketObjectv2", "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy")) {
            m.putIfAbsent(free, null);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Usage charges that come with the priced kinds. */
    static final Map<String, String> USAGE_OF_PRICED = Map.of(
            EC2_INSTANCE, "data transfer out to the internet (per GiB)",
            AUTOSCALING_GROUP, "data transfer out to the internet (per GiB)",
            RDS_INSTANCE, "RDS backup storage beyond the database's size, and snapshots (per GiB-month)",
            KMS_KEY, "KMS requests beyond the free tier; each of a key's first two automatic rotations adds a key-month",
            VPC_ENDPOINT, "PrivateLink data processing (per GiB through interface endpoints)",
            LOAD_BALANCER, "load balancer capacity units (NLCU-hours)",
            SECRET, "Secrets Manager API calls (per 10,000)");

    /**
     * Whether AWS bills a resource of this kind while it exists: it has a price here (instances,
     * databases, keys, secrets, interface endpoints, addresses, load balancers, alarms...) or a
     * usage charge (buckets, log groups, flow logs, trails...). The plan's {@code [cost]} marker.
     */
    public static boolean billed(PlannedResource r) {
        return switch (r.type()) {
            case EC2_INSTANCE, AUTOSCALING_GROUP, EIP, RDS_INSTANCE, KMS_KEY, SECRET, LOAD_BALANCER,
                 CLIENT_VPN_ASSOCIATION, METRIC_ALARM -> true;
            case VPC_ENDPOINT -> "Interface".equals(String.valueOf(r.inputs().get("vpcEndpointType")));
            default -> NO_FIXED_CHARGE.get(r.type()) != null;
        };
    }

    /**
     * Estimates a plan's fixed monthly cost.
     *
     * @param plan   an offline plan (inputs as the engine receives them)
     * @param prices the price table to use
     */
    public static CostEstimate of(Plan plan, PriceTable prices) {
        return new Estimator(plan, prices).run();
    }

    /** Pure computation over one plan; a class only to share the look-ups. */
    private static final class Estimator {
        private final Plan plan;
        private final PriceTable prices;
        private final Map<String, double[]> amounts = new TreeMap<>(); // "kind|unit" -> {quantity, usd}
        private final Set<String> usage = new LinkedHashSet<>();
        private final Set<String> unpriced = new TreeSet<>();
        private final Map<String, Double> perResource = new LinkedHashMap<>();
        private PlannedResource current;

        Estimator(Plan plan, PriceTable prices) {
            this.plan = plan;
            this.prices = prices;
        }

        CostEstimate run() {
            Set<String> associatedInstanceIds = new LinkedHashSet<>();
            for (PlannedResource a : plan.ofType(EIP_ASSOCIATION)) {
                if (a.get("instanceId") != null) {
                    associatedInstanceIds.add(a.get("instanceId").toString());
                }
            }
            for (PlannedResource r : plan.resources()) {
                current = r;
                String type = r.type();
                switch (type) {
                    case EC2_INSTANCE -> hosts(r, 1, templateOf(r), !associatedInstanceIds.contains(r.id())
                            && publicAddress(templateOf(r), subnets(java.util.Collections.singletonList(r.get("subnetId")))));
                    case AUTOSCALING_GROUP -> {
                        int count = intValue(r.get("desiredCapacity"), intValue(r.get("minSize"), 0));
                        Object zones = r.get("vpcZoneIdentifiers");
                        hosts(r, count, templateOf(r), publicAddress(templateOf(r),
                                subnets(zones instanceof Collection<?> c ? List.copyOf(c) : List.of())));
                    }
                    case EIP -> add("public IPv4 address", 1, "address", prices.monthly(prices.publicIpv4Hourly()));
                    case RDS_INSTANCE -> database(r);
                    case KMS_KEY -> add("KMS customer managed key", 1, "key", prices.kmsKeyMonth());
                    case SECRET -> add("Secrets Manager secret", 1, "secret", prices.secretMonth());
                    case VPC_ENDPOINT -> endpoint(r);
                    case LOAD_BALANCER -> loadBalancer(r);
                    case CLIENT_VPN_ASSOCIATION -> add("Client VPN subnet association", 1, "association",
                            prices.monthly(prices.clientVpnAssociationHourly()));
                    case METRIC_ALARM -> add("CloudWatch alarm", 1, "alarm", prices.cloudwatchAlarmMonth());
                    default -> {
                        if (NO_FIXED_CHARGE.containsKey(type)) {
                            if (NO_FIXED_CHARGE.get(type) != null) {
                                usage.add(NO_FIXED_CHARGE.get(type));
                            }
                        } else if (!type.startsWith("orthweb:") && !type.startsWith("pulumi:")
                                && !type.startsWith("random:") && !type.startsWith("tls:")) {
                            unpriced.add(type);
                        }
                        continue;
                    }
                }
                if (USAGE_OF_PRICED.containsKey(type)) {
                    usage.add(USAGE_OF_PRICED.get(type));
                }
            }
            List<Line> lines = new ArrayList<>();
            double total = 0;
            for (Map.Entry<String, double[]> e : amounts.entrySet()) {
                String[] kindUnit = e.getKey().split("\\|", 2);
                double usd = cents(e.getValue()[1]);
                lines.add(new Line(kindUnit[0], e.getValue()[0], kindUnit[1], usd));
                total += e.getValue()[1];
            }
            String stackRegion = plan.ofType("pulumi:providers:aws").stream()
                    .map(p -> p.get("region")).filter(Objects::nonNull).map(Object::toString)
                    .findFirst().orElse(prices.region());
            Map<String, Double> shares = new LinkedHashMap<>();
            perResource.forEach((name, usd) -> shares.put(name, cents(usd)));
            return new CostEstimate(prices.region(), prices.date(), stackRegion, List.copyOf(lines), cents(total),
                    List.copyOf(usage), List.copyOf(unpriced), java.util.Collections.unmodifiableMap(shares));
        }

        /** Instances (or a group's desired instances) from a launch template: compute, root volumes, IPv4. */
        private void hosts(PlannedResource r, int count, PlannedResource template, boolean publicIpv4) {
            Object type = r.get("instanceType") != null ? r.get("instanceType")
                    : template == null ? null : template.get("instanceType");
            if (type == null) {
                unpriced.add(r.type() + " without an instance type");
                return;
            }
            Double hourly = prices.ec2InstanceHourly().get(type.toString());
            if (hourly == null) {
                unpriced.add(r.type() + " " + type);
            } else {
                add("EC2 instance " + type, count, "instance", count * prices.monthly(hourly));
            }
            if (template != null && template.get("blockDeviceMappings") instanceof List<?> devices) {
                for (Object device : devices) {
                    if (device instanceof Map<?, ?> d && d.get("ebs") instanceof Map<?, ?> ebs) {
                        String volumeType = String.valueOf(ebs.get("volumeType"));
                        double gib = doubleValue(ebs.get("volumeSize"), 0);
                        if (volumeType.equals("gp3")) {
                            add("EBS gp3 volume", count * gib, "GiB", count * gib * prices.ebsGp3GibMonth());
                        } else {
                            unpriced.add("EBS volume type " + volumeType);
                        }
                    }
                }
            }
            if (publicIpv4) {
                add("public IPv4 address", count, "address", count * prices.monthly(prices.publicIpv4Hourly()));
            }
        }

        private void database(PlannedResource r) {
            String cls = String.valueOf(r.get("instanceClass"));
            boolean multiAz = Boolean.TRUE.equals(r.get("multiAz"));
            Double hourly = prices.rdsPostgresHourlySingleAz().get(cls);
            if (!"postgres".equals(r.get("engine")) || hourly == null) {
                unpriced.add(r.type() + " " + r.get("engine") + " " + cls);
            } else {
                double factor = multiAz ? prices.rdsMultiAzInstanceFactor() : 1;
                add("RDS PostgreSQL " + cls + (multiAz ? " multi-AZ" : " single-AZ"), 1, "instance",
                        prices.monthly(hourly) * factor);
            }
            double gib = doubleValue(r.get("allocatedStorage"), 0);
            if ("gp3".equals(r.get("storageType"))) {
                add("RDS gp3 storage" + (multiAz ? " multi-AZ" : " single-AZ"), gib, "GiB",
                        gib * (multiAz ? prices.rdsGp3GibMonthMultiAz() : prices.rdsGp3GibMonthSingleAz()));
            } else {
                unpriced.add("RDS storage type " + r.get("storageType"));
            }
            // RDS keeps a managed master password in a Secrets Manager secret of its own, which the
            // plan never shows as a resource but which is billed as any secret (RDS user guide,
            // "Password management with Amazon RDS and AWS Secrets Manager": storing database secrets
            // in Secrets Manager incurs charges)
            if (Boolean.TRUE.equals(r.get("manageMasterUserPassword"))) {
                add("Secrets Manager secret", 1, "secret", prices.secretMonth());
            }
        }

        private void endpoint(PlannedResource r) {
            if ("Interface".equals(r.get("vpcEndpointType"))) {
                int zones = r.get("subnetIds") instanceof Collection<?> c ? c.size() : 1;
                String service = String.valueOf(r.get("serviceName"));
                add("interface VPC endpoint " + service.substring(service.lastIndexOf('.') + 1), zones,
                        "Availability Zone", zones * prices.monthly(prices.interfaceEndpointHourlyPerAz()));
            } // Gateway endpoints (S3) carry no charge.
        }

        private void loadBalancer(PlannedResource r) {
            if ("network".equals(r.get("loadBalancerType"))) {
                add("network load balancer", 1, "load balancer", prices.monthly(prices.networkLoadBalancerHourly()));
                // an internet-facing balancer holds one public IPv4 address per zone (subnet), charged
                // like any other (VPC pricing, "Public IPv4 address")
                if (!Boolean.TRUE.equals(r.get("internal")) && r.get("subnets") instanceof Collection<?> zones) {
                    add("public IPv4 address", zones.size(), "address",
                            zones.size() * prices.monthly(prices.publicIpv4Hourly()));
                }
            } else {
                unpriced.add(r.type() + " " + r.get("loadBalancerType"));
            }
        }

        private PlannedResource templateOf(PlannedResource r) {
            if (!(r.get("launchTemplate") instanceof Map<?, ?> ref) || ref.get("id") == null) {
                return null;
            }
            return plan.ofType(LAUNCH_TEMPLATE).stream().filter(t -> ref.get("id").equals(t.id()))
                    .findFirst().orElse(null);
        }

        private List<PlannedResource> subnets(List<?> ids) {
            return plan.ofType(SUBNET).stream().filter(s -> ids.contains(s.id())).toList();
        }

        /** A public IPv4 address comes with an instance when its template or its subnet asks for one. */
        private static boolean publicAddress(PlannedResource template, List<PlannedResource> subnets) {
            if (template != null && template.get("networkInterfaces") instanceof List<?> nics) {
                for (Object nic : nics) {
                    if (nic instanceof Map<?, ?> n && n.get("associatePublicIpAddress") != null) {
                        return Boolean.parseBoolean(n.get("associatePublicIpAddress").toString());
                    }
                }
            }
            return subnets.stream().anyMatch(s -> Boolean.TRUE.equals(s.get("mapPublicIpOnLaunch")));
        }

        private void add(String kind, double quantity, String unit, double usd) {
            perResource.merge(current.name(), usd, Double::sum);
            double[] sum = amounts.computeIfAbsent(kind + "|" + unit, k -> new double[2]);
            sum[0] += quantity;
            sum[1] += usd;
        }

        private static int intValue(Object o, int otherwise) {
            return o instanceof Number n ? n.intValue() : otherwise;
        }

        private static double doubleValue(Object o, double otherwise) {
            return o instanceof Number n ? n.doubleValue() : otherwise;
        }
    }

    private static double cents(double usd) {
        return Math.round(usd * 100) / 100.0;
    }
}
