package org.orthweb.components;

import com.pulumi.core.Output;
import org.orthweb.naming.Naming;
import org.orthweb.pki.DicomPeer;
import org.orthweb.pki.DicomPeers;

import java.util.List;
import java.util.Objects;

/**
 * @param naming             physical names and Name tags
 * @param stack              the stack's name (in the CA's subject, so two stacks' CAs are told apart)
 * @param kmsKeyArn          the stack's key, encrypting both Secrets Manager secrets
 * @param serverNames        the names clients reach the site by: the site name and the stack's
 *                           stable address names; DNS names and IPv4 addresses, each becomes a SAN
 * @param peers              the DICOM peers, validated here ({@link DicomPeers#validate})
 * @param orthancClient      whether Orthanc gets its own client certificate (a declared modality
 *                           uses DICOM TLS: {@code OrthancSettings.scuTls})
 * @param recoveryWindowDays days a deleted secret can be restored (7-30)
 * @param protect            Pulumi protect on the secrets (hardened environments)
 */
public record SitePkiArgs(Naming naming, String stack, Output<String> kmsKeyArn, Output<List<String>> serverNames,
                          List<DicomPeer> peers, boolean orthancClient, int recoveryWindowDays, boolean protect) {

    public SitePkiArgs {
        Objects.requireNonNull(naming, "naming");
        Objects.requireNonNull(stack, "stack");
        Objects.requireNonNull(kmsKeyArn, "kmsKeyArn");
        Objects.requireNonNull(serverNames, "serverNames");
        peers = DicomPeers.validate(peers);
    }
}
