package com.pulumi.tls;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;

import java.util.List;

/** {@code tls:index/certRequest:CertRequest}: a certificate signing request (PKCS#10) for a key. */
@ResourceType(type = CertRequest.TYPE)
public class CertRequest extends CustomResource {

    public static final String TYPE = "tls:index/certRequest:CertRequest";
    static final List<String> SECRET_OUTPUTS = List.of("privateKeyPem");

    @Export(name = "certRequestPem", refs = {String.class}, tree = "[0]")
    private Output<String> certRequestPem;

    public CertRequest(String name, CertRequestArgs args, CustomResourceOptions options) {
        super(TYPE, name, args, TlsProvider.options(SECRET_OUTPUTS, options));
    }

    public Output<String> certRequestPem() {
        return certRequestPem;
    }
}
