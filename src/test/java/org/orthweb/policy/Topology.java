package org.orthweb.policy;

import org.orthweb.plan.Plan.PlannedResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.orthweb.policy.PolicyStack.list;
import static org.orthweb.policy.PolicyStack.num;
import static org.orthweb.policy.PolicyStack.str;
import static org.orthweb.policy.PolicyStack.strings;

/**
 * What the resources mean together, derived from references rather than names: which route
 * tables reach the internet, which subnets are public, which security group guards what.
 */
final class Topology {

    static final Set<String> WORLD = Set.of("0.0.0.0/0", "::/0");

    private Topology() {
    }

    /** Route tables with a default route (IPv4 or IPv6) to an internet gateway, inline or separate. */
    static List<PlannedResource> internetRouteTables(PolicyStack s) {
        Set<String> igws = Set.copyOf(s.ids(s.ofType(Types.INTERNET_GATEWAY)));
        return s.ofType(Types.ROUTE_TABLE).stream().filter(rt -> defaultRoutes(s, rt).stream()
                .anyMatch(target -> igws.contains(target))).toList();
    }

    /** Targets (gateway/NAT/instance/... ids) of the default routes of one route table. */
    static List<String> defaultRoutes(PolicyStack s, PlannedResource routeTable) {
        String rtId = s.id(routeTable.name());
        List<String> targets = new ArrayList<>();
        for (PlannedResource route : s.where(Types.ROUTE, "routeTableId", rtId)) {
            if (WORLD.contains(str(route, "destinationCidrBlock")) || WORLD.contains(str(route, "destinationIpv6CidrBlock"))) {
                targets.add(target(route.inputs()));
            }
        }
        for (Object inline : list(routeTable.inputs().get("routes"))) {
            var m = PolicyStack.map(inline);
            if (WORLD.contains(String.valueOf(m.get("cidrBlock"))) || WORLD.contains(String.valueOf(m.get("ipv6CidrBlock")))) {
                targets.add(target(m));
            }
        }
        return targets;
    }

    private static String target(java.util.Map<String, Object> route) {
        for (String k : List.of("gatewayId", "natGatewayId", "egressOnlyGatewayId", "transitGatewayId", "networkInterfaceId",
                "vpcPeeringConnectionId", "vpcEndpointId", "carrierGatewayId", "localGatewayId", "coreNetworkArn")) {
            if (route.get(k) != null) {
                return String.valueOf(route.get(k));
            }
        }
        return "(unknown target)";
    }

    /** Route table id each subnet is explicitly associated with (null: the VPC's main table). */
    static String routeTableOf(PolicyStack s, PlannedResource subnet) {
        List<PlannedResource> assoc = s.where(Types.ROUTE_TABLE_ASSOCIATION, "subnetId", s.id(subnet.name()));
        if (assoc.size() > 1) {
            throw new AssertionError("subnet " + subnet.name() + " has several route table associations");
        }
        return assoc.isEmpty() ? null : str(assoc.get(0), "routeTableId");
    }

    /** Subnets whose route table sends the default route to an internet gateway. */
    static List<PlannedResource> publicSubnets(PolicyStack s) {
        Set<String> internet = Set.copyOf(s.ids(internetRouteTables(s)));
        return s.ofType(Types.SUBNET).stream().filter(sub -> internet.contains(routeTableOf(s, sub))).toList();
    }

    static List<PlannedResource> privateSubnets(PolicyStack s) {
        Set<String> pub = publicSubnets(s).stream().map(PlannedResource::name).collect(Collectors.toSet());
        return s.ofType(Types.SUBNET).stream().filter(sub -> !pub.contains(sub.name())).toList();
    }

    static Set<String> ids(PolicyStack s, List<PlannedResource> resources) {
        return Set.copyOf(s.ids(resources));
    }

    /** The hosts' security group: the one the launch template attaches. */
    static PlannedResource appSecurityGroup(PolicyStack s) {
        List<String> ids = strings(s.single(Types.LAUNCH_TEMPLATE).inputs().get("vpcSecurityGroupIds"));
        if (ids.size() != 1) {
            throw new AssertionError("launch template should attach exactly the app security group: " + ids);
        }
        return securityGroupWithId(s, ids.get(0));
    }

    /** The database's security group: the one the DB instance attaches. */
    static PlannedResource dbSecurityGroup(PolicyStack s) {
        List<String> ids = strings(s.single(Types.DB_INSTANCE).inputs().get("vpcSecurityGroupIds"));
        if (ids.size() != 1) {
            throw new AssertionError("DB instance should attach exactly its own security group: " + ids);
        }
        return securityGroupWithId(s, ids.get(0));
    }

    static PlannedResource securityGroupWithId(PolicyStack s, String id) {
        return s.ofType(Types.SG).stream().filter(sg -> Objects.equals(s.id(sg.name()), id)).findFirst()
                .orElseThrow(() -> new AssertionError("no security group with id " + id));
    }

    /** Separate ingress rules of a group (aws:vpc rule resources and legacy ec2 rules). */
    static List<Rule> ingress(PolicyStack s, PlannedResource sg) {
        return rules(s, sg, true);
    }

    static List<Rule> egress(PolicyStack s, PlannedResource sg) {
        return rules(s, sg, false);
    }

    private static List<Rule> rules(PolicyStack s, PlannedResource sg, boolean ingress) {
        String id = s.id(sg.name());
        List<Rule> out = new ArrayList<>();
        for (PlannedResource r : s.where(ingress ? Types.SG_INGRESS : Types.SG_EGRESS, "securityGroupId", id)) {
            out.add(Rule.of(r));
        }
        for (PlannedResource r : s.where(Types.SG_RULE_LEGACY, "securityGroupId", id)) {
            if ((ingress ? "ingress" : "egress").equals(str(r, "type"))) {
                out.add(Rule.ofLegacy(r));
            }
        }
        for (Object inline : list(sg.inputs().get(ingress ? "ingress" : "egress"))) {
            out.add(Rule.ofInline(sg.name(), PolicyStack.map(inline)));
        }
        return out;
    }

    /** Every security group rule in the stack, ingress and egress, whichever way it is declared. */
    static List<Rule> allRules(PolicyStack s) {
        List<Rule> out = new ArrayList<>();
        for (PlannedResource sg : s.ofType(Types.SG)) {
            out.addAll(ingress(s, sg));
            out.addAll(egress(s, sg));
        }
        for (PlannedResource sg : s.ofType(Types.DEFAULT_SG)) {
            for (Object inline : list(sg.inputs().get("ingress"))) {
                out.add(Rule.ofInline(sg.name(), PolicyStack.map(inline)));
            }
        }
        return out;
    }

    /**
     * One rule, normalised: protocol ("-1" = all), port range, sources (CIDRs, or the
     * referenced group id), description.
     */
    record Rule(String resource, String protocol, long fromPort, long toPort, List<String> cidrs, String referencedGroup,
                String description) {

        static Rule of(PlannedResource r) {
            List<String> cidrs = new ArrayList<>();
            if (r.inputs().get("cidrIpv4") != null) {
                cidrs.add(str(r, "cidrIpv4"));
            }
            if (r.inputs().get("cidrIpv6") != null) {
                cidrs.add(str(r, "cidrIpv6"));
            }
            String protocol = str(r, "ipProtocol");
            boolean all = "-1".equals(protocol) || "all".equalsIgnoreCase(protocol);
            return new Rule(r.name(), all ? "-1" : protocol,
                    all || r.inputs().get("fromPort") == null ? 0 : num(r.inputs().get("fromPort")),
                    all || r.inputs().get("toPort") == null ? 65535 : num(r.inputs().get("toPort")),
                    cidrs, str(r, "referencedSecurityGroupId"), str(r, "description"));
        }

        static Rule ofLegacy(PlannedResource r) {
            List<String> cidrs = new ArrayList<>(strings(r.inputs().get("cidrBlocks")));
            cidrs.addAll(strings(r.inputs().get("ipv6CidrBlocks")));
            String protocol = str(r, "protocol");
            boolean all = "-1".equals(protocol) || "all".equalsIgnoreCase(protocol);
            return new Rule(r.name(), all ? "-1" : protocol, all ? 0 : num(r.inputs().get("fromPort")),
                    all ? 65535 : num(r.inputs().get("toPort")), cidrs, str(r, "sourceSecurityGroupId"), str(r, "description"));
        }

        static Rule ofInline(String sg, java.util.Map<String, Object> m) {
            List<String> cidrs = new ArrayList<>(strings(m.get("cidrBlocks")));
            cidrs.addAll(strings(m.get("ipv6CidrBlocks")));
            String protocol = String.valueOf(m.get("protocol"));
            boolean all = "-1".equals(protocol) || "all".equalsIgnoreCase(protocol);
            List<String> groups = strings(m.get("securityGroups"));
            return new Rule(sg + " (inline)", all ? "-1" : protocol, all ? 0 : num(m.get("fromPort")),
                    all ? 65535 : num(m.get("toPort")), cidrs, groups.isEmpty() ? null : groups.get(0),
                    m.get("description") == null ? null : String.valueOf(m.get("description")));
        }

        boolean allProtocols() {
            return "-1".equals(protocol);
        }

        boolean coversPort(long port) {
            return allProtocols() || (fromPort <= port && port <= toPort);
        }

        boolean allPorts() {
            return allProtocols() || (fromPort <= 0 && toPort >= 65535);
        }

        boolean fromWorld() {
            return cidrs.stream().anyMatch(WORLD::contains);
        }
    }
}
