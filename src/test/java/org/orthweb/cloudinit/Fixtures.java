package org.orthweb.cloudinit;

import org.orthweb.pki.PeerGrant;

import java.util.List;
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
                "fancy-pet-orthbucket", "/fancy-pet/orthweb/containers", Map.of(), PKI_SECRET_ARN, PEERS);
    }

    static final String PKI_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:fancy-pet/orthweb/tls-server-MnOpQr";
    /** Two peers as SitePki hands them over: one with a declared AE title, one derived from its name. */
    static final List<PeerGrant> PEERS = List.of(new PeerGrant("ct-scanner-1", "CT1", "0A1B2C3D4E5F60718293A4B5C6D7E8F9"),
            new PeerGrant("router", "ROUTER", "F00D"));

    static UserDataInputs withSite(String site) {
        UserDataInputs in = inputs();
        return new UserDataInputs(in.stack(), in.environment(), in.region(), site, in.dbHost(),
                in.dbPort(), in.dbSecretArn(), in.appSecretArn(), in.bucketName(),
                in.containerLogGroup(), in.imageOverrides(), in.pkiSecretArn(), in.dicomPeers());
    }
}
