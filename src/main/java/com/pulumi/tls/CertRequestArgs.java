package com.pulumi.tls;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

import java.util.List;
import java.util.Objects;

/** Inputs of {@link CertRequest}; names match the provider's schema. */
public final class CertRequestArgs extends ResourceArgs {

    @Import(name = "privateKeyPem", required = true)
    private Output<String> privateKeyPem;

    @Import(name = "subject")
    private Output<CertSubjectArgs> subject;

    @Import(name = "dnsNames")
    private Output<List<String>> dnsNames;

    @Import(name = "ipAddresses")
    private Output<List<String>> ipAddresses;

    private CertRequestArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final CertRequestArgs args = new CertRequestArgs();

        public Builder privateKeyPem(Output<String> pem) {
            args.privateKeyPem = pem;
            return this;
        }

        public Builder subject(CertSubjectArgs subject) {
            args.subject = Output.of(subject);
            return this;
        }

        /** Subject alternative names of type DNS. */
        public Builder dnsNames(Output<List<String>> names) {
            args.dnsNames = names;
            return this;
        }

        /** Subject alternative names of type IP address. */
        public Builder ipAddresses(Output<List<String>> addresses) {
            args.ipAddresses = addresses;
            return this;
        }

        public CertRequestArgs build() {
            Objects.requireNonNull(args.privateKeyPem, "privateKeyPem is required");
            return args;
        }
    }
}
