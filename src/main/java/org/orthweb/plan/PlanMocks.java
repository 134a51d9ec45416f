package org.orthweb.plan;

import com.pulumi.random.RandomPassword;
import com.pulumi.random.RandomPet;
import com.pulumi.tls.CertRequest;
import com.pulumi.tls.LocallySignedCert;
import com.pulumi.tls.PrivateKey;
import com.pulumi.tls.SelfSignedCert;
import com.pulumi.test.Mocks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Mock engine answers for an offline run: every resource echoes its inputs as state, plus
 * realistic placeholders for what AWS would compute (ARNs, ids, endpoints), derived
 * deterministically from the resource name so two plans of one stack are identical. Generated
 * secrets answer with a marked placeholder that the plan masks. Records every registration.
 */
public final class PlanMocks implements Mocks {

    /** Placeholder account of the offline plan (AWS's documentation account id). */
    public static final String ACCOUNT = "123456789012";
    /** Every generated secret value contains this marker; the plan masks values containing it. */
    public static final String SECRET_MARKER = org.orthweb.config.RawConfig.SECRET_PLACEHOLDER;

    /** One registration as the engine received it. */
    public record Registration(String type, String name, Map<String, Object> inputs, String id,
                               Map<String, Object> computed) {
    }

    private final String region;
    private final String petName;
    private final List<Registration> registrations = Collections.synchronizedList(new ArrayList<>());

    public PlanMocks(String region, String stack) {
        this.region = region;
        this.petName = pet(stack);
    }

    public List<Registration> registrations() {
        synchronized (registrations) {
            return List.copyOf(registrations);
        }
    }

    @Override
    public CompletableFuture<ResourceResult> newResourceAsync(ResourceArgs args) {
        Map<String, Object> state = new LinkedHashMap<>(args.inputs);
        String id = computed(args.type, args.name, args.inputs, state);
        Map<String, Object> added = new LinkedHashMap<>(state);
        added.keySet().removeAll(args.inputs.keySet());
        registrations.add(new Registration(args.type, args.name, args.inputs, id, added));
        return CompletableFuture.completedFuture(ResourceResult.of(Optional.of(id), state));
    }

    @Override
    public CompletableFuture<Map<String, Object>> callAsync(CallArgs args) {
        Map<String, Object> result = new LinkedHashMap<>();
        switch (args.token) {
            case "aws:index/getCallerIdentity:getCallerIdentity" -> {
                result.put("accountId", ACCOUNT);
                result.put("arn", "arn:aws:iam::" + ACCOUNT + ":user/offline-plan");
                result.put("userId", "AIDAOFFLINEPLAN");
                result.put("id", ACCOUNT);
            }
            case "aws:index/getPartition:getPartition" -> {
                result.put("partition", "aws");
                result.put("dnsSuffix", "amazonaws.com");
                result.put("reverseDnsPrefix", "com.amazonaws");
                result.put("id", "aws");
            }
            case "aws:index/getAvailabilityZones:getAvailabilityZones" -> {
                result.put("names", List.of(region + "a", region + "b", region + "c"));
                result.put("zoneIds", List.of("use1-az1", "use1-az2", "use1-az4"));
                result.put("id", region);
            }
            case "aws:ec2/getAmi:getAmi" -> {
                result.put("id", "ami-0" + hex("al2023", 16));
                result.put("name", "al2023-ami-2023.9.20251110.0-kernel-6.1-x86_64");
                result.put("architecture", "x86_64");
            }
            default -> result.putAll(args.args);
        }
        return CompletableFuture.completedFuture(result);
    }

    /** Adds provider-computed attributes to {@code state} and returns the resource id. */
    private String computed(String type, String name, Map<String, Object> in, Map<String, Object> state) {
        String arnPrefix = "arn:aws:";
        switch (type) {
            case RandomPet.TYPE -> {
                return petName;
            }
            case RandomPassword.TYPE -> {
                state.put("result", SECRET_MARKER + name);
                return "none";
            }
            // the tls provider generates keys and certificates at deploy time: placeholders here,
            // every private key marked secret (masked by the plan), certificates public
            case PrivateKey.TYPE -> {
                state.put("privateKeyPem", SECRET_MARKER + name);
                state.put("privateKeyPemPkcs8", SECRET_MARKER + name);
                state.put("privateKeyOpenssh", SECRET_MARKER + name);
                state.put("publicKeyPem", pem("PUBLIC KEY", name));
                state.put("publicKeyFingerprintSha256", "SHA256:" + hex(name, 43));
                return hex(name, 40);
            }
            case CertRequest.TYPE -> {
                state.put("certRequestPem", pem("CERTIFICATE REQUEST", name));
                return hex(name, 40);
            }
            case SelfSignedCert.TYPE, LocallySignedCert.TYPE -> {
                state.put("certPem", pem("CERTIFICATE", name));
                state.put("validityStartTime", "2026-01-01T00:00:00Z");
                state.put("validityEndTime", "(validityPeriodHours after deployment)");
                state.put("readyForRenewal", false);
                // the provider's id is the certificate's random 128-bit serial, in decimal
                return new java.math.BigInteger(hex(name, 32), 16).toString();
            }
            case "aws:secretsmanager/secretVersion:SecretVersion" -> {
                String versionId = uuid(name + "-version");
                state.put("versionId", versionId);
                state.put("arn", String.valueOf(in.get("secretId")));
                return in.get("secretId") + "|" + versionId;
            }
            case "aws:kms/key:Key" -> {
                String keyId = uuid(name);
                state.put("keyId", keyId);
                state.put("arn", arnPrefix + "kms:" + region + ":" + ACCOUNT + ":key/" + keyId);
                return keyId;
            }
            case "aws:s3/bucketV2:BucketV2" -> {
                String bucket = String.valueOf(in.get("bucket"));
                state.put("arn", "arn:aws:s3:::" + bucket);
                state.put("bucketDomainName", bucket + ".s3.amazonaws.com");
                state.put("bucketRegionalDomainName", bucket + ".s3." + region + ".amazonaws.com");
                return bucket;
            }
            case "aws:rds/instance:Instance" -> {
                String identifier = String.valueOf(in.get("identifier"));
                String address = identifier + ".c" + hex(name, 11) + "." + region + ".rds.amazonaws.com";
                state.put("address", address);
                state.put("endpoint", address + ":5432");
                state.put("port", 5432);
                state.put("resourceId", "db-" + hex(name, 26).toUpperCase(Locale.ROOT));
                state.put("arn", arnPrefix + "rds:" + region + ":" + ACCOUNT + ":db:" + identifier);
                if (Boolean.TRUE.equals(in.get("manageMasterUserPassword"))) {
                    // what RDS answers for a managed master password: the secret it created
                    // ("rds!db-<uuid>", under the key the program named)
                    Map<String, Object> secret = new LinkedHashMap<>();
                    secret.put("secretArn", arnPrefix + "secretsmanager:" + region + ":" + ACCOUNT + ":secret:rds!db-"
                            + hex(name, 8) + "-" + hex(name + "-secret", 6));
                    secret.put("kmsKeyId", in.get("masterUserSecretKmsKeyId"));
                    secret.put("secretStatus", "active");
                    state.put("masterUserSecrets", List.of(secret));
                }
                return identifier;
            }
            case "aws:secretsmanager/secret:Secret" -> {
                String arn = arnPrefix + "secretsmanager:" + region + ":" + ACCOUNT + ":secret:" + in.get("name") + "-"
                        + hex(name, 6);
                state.put("arn", arn);
                return arn;
            }
            case "aws:ec2/instance:Instance" -> {
                int n = Math.abs(name.hashCode());
                String ip = "54." + (n % 200 + 10) + "." + (n / 200 % 250) + "." + (n / 50000 % 250 + 1);
                state.put("publicIp", ip);
                String domain = region.equals("us-east-1") ? "compute-1.amazonaws.com" : region + ".compute.amazonaws.com";
                state.put("publicDns", "ec2-" + ip.replace('.', '-') + "." + domain);
                String id = "i-0" + hex(name, 16);
                state.put("arn", arnPrefix + "ec2:" + region + ":" + ACCOUNT + ":instance/" + id);
                return id;
            }
            case "aws:ec2/eip:Eip" -> {
                int n = Math.abs(name.hashCode());
                String ip = "3." + (n % 200 + 10) + "." + (n / 200 % 250) + "." + (n / 50000 % 250 + 1);
                state.put("publicIp", ip);
                String domain = region.equals("us-east-1") ? "compute-1.amazonaws.com" : region + ".compute.amazonaws.com";
                state.put("publicDns", "ec2-" + ip.replace('.', '-') + "." + domain);
                String id = "eipalloc-0" + hex(name, 16);
                state.put("allocationId", id);
                state.put("arn", arnPrefix + "ec2:" + region + ":" + ACCOUNT + ":elastic-ip/" + id);
                return id;
            }
            case "aws:lb/loadBalancer:LoadBalancer" -> {
                // as ELB names them: <name>-<16 hex>.elb.<region>.amazonaws.com
                String lbName = String.valueOf(in.get("name"));
                state.put("dnsName", lbName + "-" + hex(name, 16) + ".elb." + region + ".amazonaws.com");
                String id = arnPrefix + "elasticloadbalancing:" + region + ":" + ACCOUNT + ":loadbalancer/net/" + lbName
                        + "/" + hex(name, 16);
                state.put("arn", id);
                state.put("arnSuffix", id.substring(id.indexOf("net/")));
                return id;
            }
            case "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener" -> {
                String kind = type.endsWith("TargetGroup") ? "targetgroup/" + in.get("name") : "listener/net/" + hex(name, 8);
                String id = arnPrefix + "elasticloadbalancing:" + region + ":" + ACCOUNT + ":" + kind + "/" + hex(name, 16);
                state.put("arn", id);
                // CloudWatch's TargetGroup dimension: the ARN from "targetgroup/"
                state.put("arnSuffix", id.substring(id.lastIndexOf(':') + 1));
                return id;
            }
            case "aws:autoscaling/group:Group" -> {
                String groupName = in.get("namePrefix") + hex(name, 26);
                state.put("name", groupName);
                state.put("arn", arnPrefix + "autoscaling:" + region + ":" + ACCOUNT + ":autoScalingGroup:" + uuid(name)
                        + ":autoScalingGroupName/" + groupName);
                return groupName;
            }
            case "aws:ec2/launchTemplate:LaunchTemplate" -> {
                state.put("latestVersion", 1);
                String id = "lt-0" + hex(name, 16);
                state.put("arn", arnPrefix + "ec2:" + region + ":" + ACCOUNT + ":launch-template/" + id);
                return id;
            }
            case "aws:cloudwatch/logGroup:LogGroup" -> {
                state.put("arn", arnPrefix + "logs:" + region + ":" + ACCOUNT + ":log-group:" + in.get("name"));
                return String.valueOf(in.get("name"));
            }
            case "aws:iam/role:Role", "aws:iam/instanceProfile:InstanceProfile" -> {
                String kind = type.endsWith("Role") ? "role" : "instance-profile";
                state.put("arn", arnPrefix + "iam::" + ACCOUNT + ":" + kind + "/" + in.get("name"));
                return String.valueOf(in.get("name"));
            }
            case "aws:cloudtrail/trail:Trail" -> {
                // AWS names a trail's ARN after the trail: the bucket and key policies rely on it
                state.put("arn", arnPrefix + "cloudtrail:" + region + ":" + ACCOUNT + ":trail/" + in.get("name"));
                return String.valueOf(in.get("name"));
            }
            case "aws:ec2/keyPair:KeyPair" -> {
                return String.valueOf(in.get("keyName"));
            }
            default -> {
                String id = idPrefix(type) + hex(name, 17);
                state.putIfAbsent("arn", arnPrefix + service(type) + ":" + region + ":" + ACCOUNT + ":" + id);
                return id;
            }
        }
    }

    private static String idPrefix(String type) {
        return switch (type) {
            case "aws:ec2/vpc:Vpc" -> "vpc-";
            case "aws:ec2/subnet:Subnet" -> "subnet-";
            case "aws:ec2/securityGroup:SecurityGroup", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup" -> "sg-";
            case "aws:ec2/routeTable:RouteTable" -> "rtb-";
            case "aws:ec2/internetGateway:InternetGateway" -> "igw-";
            case "aws:ec2/vpcEndpoint:VpcEndpoint" -> "vpce-";
            case "aws:ec2/flowLog:FlowLog" -> "fl-";
            case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                 "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule" -> "sgr-";
            default -> "";
        };
    }

    private static String service(String type) {
        int colon = type.indexOf(':');
        int slash = type.indexOf('/');
        return slash > colon ? type.substring(colon + 1, slash) : "resource";
    }

    private static String hex(String seed, int length) {
        StringBuilder out = new StringBuilder();
        long h = seed.hashCode() * 0x9E3779B97F4A7C15L;
        while (out.length() < length) {
            h = h * 6364136223846793005L + 1442695040888963407L;
            out.append(Long.toHexString(h >>> 8));
        }
        return out.substring(0, length);
    }

    /** A visibly fake PEM block on one line (the plan prints one line per resource): nothing is generated offline. */
    private static String pem(String type, String name) {
        return "-----BEGIN " + type + "----- (offline plan placeholder for " + name + ") -----END " + type + "-----";
    }

    private static String uuid(String seed) {
        String h = hex(seed, 32);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20) + "-"
                + h.substring(20);
    }

    /** A stable stand-in for the generated pet name. */
    private static String pet(String stack) {
        String[] adjectives = {"brave", "calm", "eager", "gentle", "keen", "lucid", "noble", "quiet"};
        String[] animals = {"heron", "otter", "lynx", "ibis", "marten", "puffin", "tapir", "wren"};
        int h = Math.abs(stack.hashCode());
        return adjectives[h % adjectives.length] + "-" + animals[h / adjectives.length % animals.length];
    }
}
