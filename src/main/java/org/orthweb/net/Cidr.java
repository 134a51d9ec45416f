package org.orthweb.net;

/**
 * An IPv4 CIDR block. Parsing is strict: the address must be the network address of its prefix
 * (172.17.0.0/16, not 172.17.3.4/16), because AWS silently normalises otherwise and the carved
 * subnets would not be where the user thinks.
 */
public record Cidr(long network, int prefixLength) {

    public Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0-32");
        }
        if ((network & ~mask(prefixLength) & 0xFFFFFFFFL) != 0) {
            throw new IllegalArgumentException("address has host bits set for /" + prefixLength);
        }
    }

    /** Parses "a.b.c.d/n"; the message of the exception says what is wrong. */
    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("missing CIDR");
        }
        String[] parts = text.trim().split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + text + "' is not in the form a.b.c.d/n");
        }
        String[] octets = parts[0].split("\\.", -1);
        if (octets.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address with a prefix");
        }
        long address = 0;
        for (String octet : octets) {
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                throw new IllegalArgumentException("'" + text + "' has an octet outside 0-255");
            }
            address = (address << 8) | Integer.parseInt(octet);
        }
        if (!parts[1].matches("\\d{1,2}") || Integer.parseInt(parts[1]) > 32) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0-32");
        }
        int prefix = Integer.parseInt(parts[1]);
        if ((address & ~mask(prefix) & 0xFFFFFFFFL) != 0) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean "
                    + new Cidr(address & mask(prefix), prefix) + "?");
        }
        return new Cidr(address, prefix);
    }

    /** Number of addresses in the block. */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** First address after the block. */
    public long end() {
        return network + size();
    }

    public boolean contains(Cidr other) {
        return other.prefixLength >= prefixLength && other.network >= network && other.end() <= end();
    }

    public boolean isAnywhere() {
        return prefixLength == 0;
    }

    static long mask(int prefix) {
        return prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    }

    @Override
    public String toString() {
        return ((network >> 24) & 255) + "." + ((network >> 16) & 255) + "." + ((network >> 8) & 255)
                + "." + (network & 255) + "/" + prefixLength;
    }
}
