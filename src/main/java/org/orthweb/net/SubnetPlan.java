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

    private SubnetPlan() {
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
        if (prefix < 16 || prefix > 28) {
            throw new IllegalArgumentException(kind + " subnet prefix /" + prefix + " is outside AWS's /16 to /28");
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
