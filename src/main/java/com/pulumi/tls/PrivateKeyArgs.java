package com.pulumi.tls;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

import java.util.Objects;

/** Inputs of {@link PrivateKey}; names match the provider's schema. */
public final class PrivateKeyArgs extends ResourceArgs {

    @Import(name = "algorithm", required = true)
    private Output<String> algorithm;

    @Import(name = "rsaBits")
    private Output<Integer> rsaBits;

    @Import(name = "ecdsaCurve")
    private Output<String> ecdsaCurve;

    private PrivateKeyArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public Output<String> algorithm() {
        return algorithm;
    }

    public static final class Builder {
        private final PrivateKeyArgs args = new PrivateKeyArgs();

        /** {@code RSA}, {@code ECDSA} or {@code ED25519}. */
        public Builder algorithm(String algorithm) {
            args.algorithm = Output.of(algorithm);
            return this;
        }

        /** RSA modulus size in bits (the provider's default is 2048). */
        public Builder rsaBits(int bits) {
            args.rsaBits = Output.of(bits);
            return this;
        }

        /** {@code P224}, {@code P256}, {@code P384} or {@code P521}. */
        public Builder ecdsaCurve(String curve) {
            args.ecdsaCurve = Output.of(curve);
            return this;
        }

        public PrivateKeyArgs build() {
            Objects.requireNonNull(args.algorithm, "algorithm is required");
            return args;
        }
    }
}
