package org.orthweb.cost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * On-demand list prices for the resource kinds the program creates, for one region on one date,
 * kept in the repository ({@code src/main/resources/org/orthweb/cost/prices-<region>.json}, with the
 * AWS pricing page of each figure under {@code sources}). All amounts are US dollars; hourly
 * figures are per hour, monthly ones per month of {@link #hoursPerMonth} hours.
 *
 * @param region                       the AWS region the figures are for, e.g. {@code us-east-1}
 * @param date                         the day the figures were taken (ISO date)
 * @param hoursPerMonth                hours in the month the estimate uses (AWS's pages use 730)
 * @param ec2InstanceHourly            EC2 instance type to hourly price (Linux, on demand)
 * @param ebsGp3GibMonth               EBS gp3 storage per GiB-month (baseline IOPS and throughput)
 * @param publicIpv4Hourly             each public IPv4 address, in use or idle, per hour
 * @param rdsPostgresHourlySingleAz    RDS for PostgreSQL instance class to hourly price, single-AZ
 * @param rdsMultiAzInstanceFactor     multi-AZ (one standby) instance price as a multiple of single-AZ
 * @param rdsGp3GibMonthSingleAz       RDS gp3 storage per GiB-month, single-AZ
 * @param rdsGp3GibMonthMultiAz        RDS gp3 storage per GiB-month, multi-AZ
 * @param kmsKeyMonth                  one customer managed KMS key per month
 * @param secretMonth                  one Secrets Manager secret per month
 * @param interfaceEndpointHourlyPerAz one interface VPC endpoint in one Availability Zone, per hour
 * @param networkLoadBalancerHourly    one network load balancer per hour (capacity units are usage)
 * @param clientVpnAssociationHourly   one Client VPN subnet association per hour
 * @param cloudwatchAlarmMonth         one standard-resolution CloudWatch metric alarm per month
 */
public record PriceTable(
        String region,
        String date,
        int hoursPerMonth,
        Map<String, Double> ec2InstanceHourly,
        double ebsGp3GibMonth,
        double publicIpv4Hourly,
        Map<String, Double> rdsPostgresHourlySingleAz,
        double rdsMultiAzInstanceFactor,
        double rdsGp3GibMonthSingleAz,
        double rdsGp3GibMonthMultiAz,
        double kmsKeyMonth,
        double secretMonth,
        double interfaceEndpointHourlyPerAz,
        double networkLoadBalancerHourly,
        double clientVpnAssociationHourly,
        double cloudwatchAlarmMonth) {

    /** The table shipped with the program. */
    public static final String DEFAULT_RESOURCE = "prices-us-east-1.json";

    /** Loads the shipped table. */
    public static PriceTable shipped() {
        return load(DEFAULT_RESOURCE);
    }

    /**
     * Loads a table from this package's resources.
     *
     * @throws UncheckedIOException when the resource is missing or malformed
     */
    public static PriceTable load(String resource) {
        try (InputStream in = PriceTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("no price table " + resource));
            }
            return new ObjectMapper()
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                    .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
                    .configure(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES, true)
                    .readValue(in, PriceTable.class);
        } catch (IOException e) {
            throw new UncheckedIOException("price table " + resource + ": " + e.getMessage(), e);
        }
    }

    /** An hourly price as a monthly one. */
    public double monthly(double hourly) {
        return hourly * hoursPerMonth;
    }
}
