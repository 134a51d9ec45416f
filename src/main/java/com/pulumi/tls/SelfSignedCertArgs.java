package com.pulumi.tls;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

import java.util.List;
import java.util.Objects;

/** Inputs of {@link SelfSignedCert}; names match the provider's schema. */
public final class SelfSignedCertArgs extends ResourceArgs {

    @Import(name = "privateKeyPem", required = true)
    private Output<String> privateKeyPem;

    @Import(name = "subject")
    private Output<CertSubjectArgs> subject;

    @Import(name = "validityPeriodHours", required = true)
    private Output<Integer> validityPeriodHours;

    @Import(name = "earlyRenewalHours")
    private Output<Integer> earlyRenewalHours;

    @Import(name = "allowedUses", required = true)
    private Output<List<String>> allowedUses;

    @Import(name = "isCaCertificate")
    private Output<Boolean> isCaCertificate;

    @Import(name = "setSubjectKeyId")
    private Output<Boolean> setSubjectKeyId;

    @Import(name = "setAuthorityKeyId")
    private Output<Boolean> setAuthorityKeyId;

    @Import(name = "dnsNames")
    private Output<List<String>> dnsNames;

    private SelfSignedCertArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public Output<Integer> validityPeriodHours() {
        return validityPeriodHours;
    }

    public static final class Builder {
        private final SelfSignedCertArgs args = new SelfSignedCertArgs();

        public Builder privateKeyPem(Output<String> pem) {
            args.privateKeyPem = pem;
            return this;
        }

        public Builder subject(CertSubjectArgs subject) {
            args.subject = Output.of(subject);
            return this;
        }

        /** Hours (not days) from creation until the certificate expires. */
        public Builder validityPeriodHours(int hours) {
            args.validityPeriodHours = Output.of(hours);
            return this;
        }

        /** Hours before expiry from which {@code pulumi up} replaces the certificate. */
        public Builder earlyRenewalHours(int hours) {
            args.earlyRenewalHours = Output.of(hours);
            return this;
        }

        /** Key usages and extended key usages by the provider's keywords (e.g. {@code cert_signing}). */
        public Builder allowedUses(List<String> uses) {
            args.allowedUses = Output.of(List.copyOf(uses));
            return this;
        }

        public Builder isCaCertificate(boolean ca) {
            args.isCaCertificate = Output.of(ca);
            return this;
        }

        public Builder setSubjectKeyId(boolean value) {
            args.setSubjectKeyId = Output.of(value);
            return this;
        }

        public Builder setAuthorityKeyId(boolean value) {
            args.setAuthorityKeyId = Output.of(value);
            return this;
        }

        public Builder dnsNames(List<String> names) {
            args.dnsNames = Output.of(List.copyOf(names));
            return this;
        }

        public SelfSignedCertArgs build() {
            Objects.requireNonNull(args.privateKeyPem, "privateKeyPem is required");
            Objects.requireNonNull(args.validityPeriodHours, "validityPeriodHours is required");
            Objects.requireNonNull(args.allowedUses, "allowedUses is required");
            return args;
        }
    }
}
