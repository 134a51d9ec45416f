package com.pulumi.tls;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;

import java.util.List;

/**
 * {@code tls:index/selfSignedCert:SelfSignedCert}: a certificate signed by its own key (here the
 * site CA). The id is the certificate's serial number in decimal (terraform-provider-tls
 * {@code internal/provider/common_cert.go}, {@code createCertificate}: a random 128-bit serial).
 */
@ResourceType(type = SelfSignedCert.TYPE)
public class SelfSignedCert extends CustomResource {

    public static final String TYPE = "tls:index/selfSignedCert:SelfSignedCert";
    static final List<String> SECRET_OUTPUTS = List.of("privateKeyPem");

    @Export(name = "certPem", refs = {String.class}, tree = "[0]")
    private Output<String> certPem;

    @Export(name = "validityEndTime", refs = {String.class}, tree = "[0]")
    private Output<String> validityEndTime;

    @Export(name = "validityPeriodHours", refs = {Integer.class}, tree = "[0]")
    private Output<Integer> validityPeriodHours;

    public SelfSignedCert(String name, SelfSignedCertArgs args, CustomResourceOptions options) {
        super(TYPE, name, args, TlsProvider.options(SECRET_OUTPUTS, options));
    }

    /** The certificate in PEM; public. */
    public Output<String> certPem() {
        return certPem;
    }

    /** RFC 3339 time after which the certificate is invalid. */
    public Output<String> validityEndTime() {
        return validityEndTime;
    }

    public Output<Integer> validityPeriodHours() {
        return validityPeriodHours;
    }

    /** The serial number in decimal (the provider uses it as the id). */
    public Output<String> serialNumber() {
        return id();
    }
}
