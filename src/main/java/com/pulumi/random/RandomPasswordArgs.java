package com.pulumi.random;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

import java.util.Objects;

/** Inputs of {@link RandomPassword}; names match the provider's schema. */
public final class RandomPasswordArgs extends ResourceArgs {

    @Import(name = "length", required = true)
    private Output<Integer> length;

    @Import(name = "special")
    private Output<Boolean> special;

    @Import(name = "overrideSpecial")
    private Output<String> overrideSpecial;

    @Import(name = "minLower")
    private Output<Integer> minLower;

    @Import(name = "minUpper")
    private Output<Integer> minUpper;

    @Import(name = "minNumeric")
    private Output<Integer> minNumeric;

    private RandomPasswordArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public Output<Integer> length() {
        return length;
    }

    public Output<Boolean> special() {
        return special;
    }

    public static final class Builder {
        private final RandomPasswordArgs args = new RandomPasswordArgs();

        public Builder length(int length) {
            args.length = Output.of(length);
            return this;
        }

        public Builder special(boolean special) {
            args.special = Output.of(special);
            return this;
        }

        public Builder overrideSpecial(String characters) {
            args.overrideSpecial = Output.of(characters);
            return this;
        }

        public Builder minLower(int count) {
            args.minLower = Output.of(count);
            return this;
        }

        public Builder minUpper(int count) {
            args.minUpper = Output.of(count);
            return this;
        }

        public Builder minNumeric(int count) {
            args.minNumeric = Output.of(count);
            return this;
        }

        public RandomPasswordArgs build() {
            Objects.requireNonNull(args.length, "length is required");
            return args;
        }
    }
}
