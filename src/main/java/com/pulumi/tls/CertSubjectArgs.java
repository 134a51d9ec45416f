package com.pulumi.tls;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/**
 * The distinguished name of a certificate or request: the schema's
 * {@code tls:index/SelfSignedCertSubject:SelfSignedCertSubject} and
 * {@code tls:index/CertRequestSubject:CertRequestSubject} have the same properties, so one class
 * serves both (only the fields the site PKI uses).
 */
public final class CertSubjectArgs extends ResourceArgs {

    @Import(name = "commonName")
    private Output<String> commonName;

    @Import(name = "organization")
    private Output<String> organization;

    @Import(name = "organizationalUnit")
    private Output<String> organizationalUnit;

    private CertSubjectArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public Output<String> commonName() {
        return commonName;
    }

    public static final class Builder {
        private final CertSubjectArgs args = new CertSubjectArgs();

        public Builder commonName(String value) {
            args.commonName = Output.of(value);
            return this;
        }

        public Builder organization(String value) {
            args.organization = Output.of(value);
            return this;
        }

        public Builder organizationalUnit(String value) {
            args.organizationalUnit = Output.of(value);
            return this;
        }

        public CertSubjectArgs build() {
            return args;
        }
    }
}
