package org.orthweb.cloudinit;

import java.util.Map;

/** Inputs shaped like the ones the infrastructure resolves from its outputs. */
final class Fixtures {

    private Fixtures() {
    }

    static UserDataInputs inputs() {
        return new UserDataInputs("dev", "dev", "us-east-1", null,
                "fancy-pet-orthancdb.c9akciq32.us-east-1.rds.amazonaws.com", 5432,
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:fancy-pet-db-master-AbCdEf",
                "arn:aws:secretsmanager:us-east-1:123456789012:secret:fancy-pet-app-secrets-GhIjKl",
                "fancy-pet-orthbucket", "/fancy-pet/orthweb/containers", Map.of(), PKI_SECRET_ARN, PKI_SECRET_VERSION);
    }

    static final String PKI_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fancy-pet/orthweb/tls-server-MnOpQr";
    static final String PKI_SECRET_VERSION = "8f1b3c2e-5d4a-4e6f-9a7b-0c1d2e3f4a5b";

    static UserDataInputs withSite(String site) {
        UserDataInputs in = inputs();
        return new UserDataInputs(in.stack(), in.environment(), in.region(), site, in.dbHost(),
                in.dbPort(), in.dbSecretArn(), in.appSecretArn(), in.bucketName(),
                in.containerLogGroup(), in.imageOverrides(), in.pkiSecretArn(), in.pkiSecretVersionId());
    }
}
