package org.orthweb.cloudinit;

import java.util.Map;
import java.util.Objects;

/**
 * Everything the host's cloud-init needs, as plain values: the infrastructure components resolve
 * their Pulumi outputs into this record before rendering. Holds names and ARNs only, never a
 * secret value: secrets are fetched on the host at boot with the instance role.
 *
 * @param stack             Pulumi stack name (for file headers and log lines)
 * @param environment       environment code (prd, dev, tst, stg)
 * @param region            AWS region of the stack
 * @param siteName          configured DNS name of the site, or null to use the instance's public DNS
 * @param dbHost            RDS endpoint host name
 * @param dbPort            RDS port
 * @param dbSecretArn       Secrets Manager ARN of the master credential JSON {username, password}
 * @param appSecretArn      Secrets Manager ARN of the generated application secrets JSON
 * @param bucketName        data bucket for the Orthanc S3 storage plugin
 * @param containerLogGroup CloudWatch log group for Docker's awslogs driver, or null when disabled
 * @param imageOverrides    image name to tag, or to whole pinned image reference, from stack config
 *                          (may be empty; see {@link AppImages#resolve})
 * @param pkiSecretArn      Secrets Manager ARN of the site's TLS material and DICOM peer allow-list
 *                          ({@link org.orthweb.pki.DicomAccess#hostSecret})
 * @param pkiSecretVersionId the version of that secret this host must read (a new one, for a new
 *                          peer list or server certificate, makes new user data: hosts are replaced)
 * @param hostCount         how many hosts share the Orthanc index (1 or more): with more than one,
 *                          Orthanc does not save its job registry ({@code SaveJobs} false), as the
 *                          Orthanc configuration reference asks of servers sharing one database
 * @param orthanc           the site's Orthanc settings ({@code orthweb:orthanc}), merged into
 *                          orthanc.json and the modalities' file ({@link org.orthweb.orthanc.OrthancSettings})
 */
public record UserDataInputs(
        String stack,
        String environment,
        String region,
        String siteName,
        String dbHost,
        int dbPort,
        String dbSecretArn,
        String appSecretArn,
        String bucketName,
        String containerLogGroup,
        Map<String, String> imageOverrides,
        String pkiSecretArn,
        String pkiSecretVersionId,
        int hostCount,
        org.orthweb.config.StackConfig.Orthanc orthanc) {

    /** The program's Orthanc defaults ({@link org.orthweb.config.StackConfig.Orthanc#defaults}). */
    public UserDataInputs(String stack, String environment, String region, String siteName, String dbHost, int dbPort,
                          String dbSecretArn, String appSecretArn, String bucketName, String containerLogGroup,
                          Map<String, String> imageOverrides, String pkiSecretArn, String pkiSecretVersionId,
                          int hostCount) {
        this(stack, environment, region, siteName, dbHost, dbPort, dbSecretArn, appSecretArn, bucketName,
                containerLogGroup, imageOverrides, pkiSecretArn, pkiSecretVersionId, hostCount,
                org.orthweb.config.StackConfig.Orthanc.defaults());
    }

    /** The same inputs with other Orthanc settings. */
    public UserDataInputs withOrthanc(org.orthweb.config.StackConfig.Orthanc settings) {
        return new UserDataInputs(stack, environment, region, siteName, dbHost, dbPort, dbSecretArn, appSecretArn,
                bucketName, containerLogGroup, imageOverrides, pkiSecretArn, pkiSecretVersionId, hostCount, settings);
    }

    /** One host (the single-host site). */
    public UserDataInputs(String stack, String environment, String region, String siteName, String dbHost, int dbPort,
                          String dbSecretArn, String appSecretArn, String bucketName, String containerLogGroup,
                          Map<String, String> imageOverrides, String pkiSecretArn, String pkiSecretVersionId) {
        this(stack, environment, region, siteName, dbHost, dbPort, dbSecretArn, appSecretArn, bucketName,
                containerLogGroup, imageOverrides, pkiSecretArn, pkiSecretVersionId, 1);
    }

    public UserDataInputs {
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(dbHost, "dbHost");
        Objects.requireNonNull(dbSecretArn, "dbSecretArn");
        Objects.requireNonNull(appSecretArn, "appSecretArn");
        Objects.requireNonNull(bucketName, "bucketName");
        if (hostCount < 1) {
            throw new IllegalArgumentException("hostCount must be at least 1, was " + hostCount);
        }
        imageOverrides = imageOverrides == null ? Map.of() : Map.copyOf(imageOverrides);
        Objects.requireNonNull(pkiSecretArn, "pkiSecretArn");
        Objects.requireNonNull(pkiSecretVersionId, "pkiSecretVersionId");
        Objects.requireNonNull(orthanc, "orthanc");
    }
}
