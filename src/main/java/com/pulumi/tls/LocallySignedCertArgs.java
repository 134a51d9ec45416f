package com.pulumi.tls;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

import java.util.List;
import java.util.Objects;

/** Inputs of {@link LocallySignedCert}; names match the provider's schema. */
public final class LocallySignedCertArgs extends ResourceArgs {

    @Import(name = "certRequestPem", required = true)
    private Output<String> certRequestPem;

    @Import(name = "caCertPem", required = true)
    private Output<String> caCertPem;

    @Import(name = "caPrivateKeyPem", required = true)
    private Output<String> caPrivateKeyPem;

    @Import(name = "validityPeriodHours", required = true)
    private Output<Integer> validityPeriodHours;

    @Import(name = "earlyRenewalHours")
    private Output<Integer> earlyRenewalHours;

    @Import(name = "allowedUses", required = true)
    private Output<List<String>> allowedUses;

    @Import(name = "setSubjectKeyId")
    private Output<Boolean> setSubjectKeyId;

    private LocallySignedCertArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public Output<Integer> validityPeriodHours() {
        return validityPeriodHours;
    }

    public static final class Builder {
        private final LocallySignedCertArgs args = new LocallySignedCertArgs();

        public Builder certRequestPem(Output<String> pem) {
            args.certRequestPem = pem;
            return this;
        }

        public Builder caCertPem(Output<String> pem) {
            args.caCertPem = pem;
            return this;
        }

        public Builder caPrivateKeyPem(Output<String> pem) {
            args.caPrivateKeyPem = pem;
            return this;
        }

        /** Hours (not days) from signing until the certificate expires. */
        public Builder validityPeriodHours(int hours) {
            args.validityPeriodHours = Output.of(hours);
            return this;
        }

        /** Hours before expiry from which {@code pulumi up} replaces the certificate. */
        public Builder earlyRenewalHours(int hours) {
            args.earlyRenewalHours = Output.of(hours);
            return this;
        }

        public Builder allowedUses(List<String> uses) {
            args.allowedUses = Output.of(List.copyOf(uses));
            return this;
        }

        public Builder setSubjectKeyId(boolean value) {
            args.setSubjectKeyId = Output.of(value);
            return this;
        }

        public LocallySignedCertArgs build() {
            Objects.requireNonNull(args.certRequestPem, "certRequestPem is required");
            Objects.requireNonNull(args.caCertPem, "caCertPem is required");
            Objects.requireNonNull(args.caPrivateKeyPem, "caPrivateKeyPem is required");
            Objects.requireNonNull(args.validityPeriodHours, "validityPeriodHours is required");
            Objects.requireNonNull(args.allowedUses, "allowedUses is required");
            return args;
        }
    }
}
