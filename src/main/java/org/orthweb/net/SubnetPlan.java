package org.orthweb.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Carves the per-AZ subnets out of the VPC block, as the reference does: in order public,
 * private, public, private..., each block aligned on its own size, packed from the start of the
 * VPC. Pure arithmetic, tested directly.
 */
public final class SubnetPlan {

    /** The two subnets of one availability zone (index 0 = first AZ). */
    public record ZoneSubnets(int zoneIndex, Cidr publicSubnet, Cidr privateSubnet) {
    }

    /** AWS's range of subnet prefix lengths. */
    public static final int MIN_PREFIX = 16;
    public static final int MAX_PREFIX = 28;
    /** An RDS subnet group must span at least two zones, even for a single-AZ database. */
    public static final int MIN_PRIVATE_ZONES = 2;

    /**
     * The network resolved once: which subnets exist and which zones get a public subnet.
     *
     * @param vpc             the VPC block
     * @param zones           per zone, in order, its public and private subnet; private subnets
     *                        (free) always cover at least {@link #MIN_PRIVATE_ZONES} zones
     * @param publicZoneCount the first zones that get a public subnet (the hosts' zones)
     */
    public record Layout(Cidr vpc, List<ZoneSubnets> zones, int publicZoneCount) {
        public Layout {
            zones = List.copyOf(zones);
            if (publicZoneCount < 1 || publicZoneCount > zones.size()) {
                throw new IllegalArgumentException("publicZoneCount must be 1.." + zones.size());
            }
        }
    }

    private SubnetPlan() {
    }

    /**
     * The layout for {@code azCount} host zones: public subnets in the first {@code azCount}
     * zones, private subnets in {@code max(2, azCount)} zones.
     *
     * @throws IllegalArgumentException as {@link #carve}
     */
    public static Layout layout(Cidr vpc, int azCount, int publicPrefix, int privatePrefix) {
        return new Layout(vpc, carve(vpc, Math.max(MIN_PRIVATE_ZONES, azCount), publicPrefix, privatePrefix), azCount);
    }

    /**
     * @throws IllegalArgumentException when the prefixes are out of AWS's range (/16 to /28), not
     *                                  inside the VPC, or the subnets do not fit
     */
    public static List<ZoneSubnets> carve(Cidr vpc, int zoneCount, int publicPrefix, int privatePrefix) {
        if (zoneCount < 1) {
            throw new IllegalArgumentException("zone count must be at least 1");
        }
        checkPrefix("public", vpc, publicPrefix);
        checkPrefix("private", vpc, privatePrefix);
        List<ZoneSubnets> zones = new ArrayList<>();
        long next = vpc.network();
        for (int zone = 0; zone < zoneCount; zone++) {
            Cidr pub = new Cidr(align(next, publicPrefix), publicPrefix);
            Cidr priv = new Cidr(align(pub.end(), privatePrefix), privatePrefix);
            if (!vpc.contains(pub) || !vpc.contains(priv)) {
                throw new IllegalArgumentException(zoneCount + " public /" + publicPrefix + " and private /"
                        + privatePrefix + " subnets do not fit in " + vpc + " (zone " + (zone + 1)
                        + " would need " + (vpc.contains(pub) ? priv : pub) + ")");
            }
            zones.add(new ZoneSubnets(zone, pub, priv));
            next = priv.end();
        }
        return List.copyOf(zones);
    }

    private static void checkPrefix(String kind, Cidr vpc, int prefix) {
        if (prefix < MIN_PREFIX || prefix > MAX_PREFIX) {
            throw new IllegalArgumentException(kind + " subnet prefix /" + prefix + " is outside AWS's /" + MIN_PREFIX
                    + " to /" + MAX_PREFIX);
        }
        if (prefix < vpc.prefixLength()) {
            throw new IllegalArgumentException(kind + " subnet prefix /" + prefix + " is larger than the VPC " + vpc);
        }
    }

    private static long align(long address, int prefix) {
        long size = 1L << (32 - prefix);
        return (address + size - 1) / size * size;
    }
}
