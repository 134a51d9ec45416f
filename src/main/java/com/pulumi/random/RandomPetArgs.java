package com.pulumi.random;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Import;
import com.pulumi.resources.ResourceArgs;

/** Inputs of {@link RandomPet}; names match the provider's schema. */
public final class RandomPetArgs extends ResourceArgs {

    @Import(name = "length")
    private Output<Integer> length;

    @Import(name = "separator")
    private Output<String> separator;

    @Import(name = "prefix")
    private Output<String> prefix;

    private RandomPetArgs() {
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final RandomPetArgs args = new RandomPetArgs();

        public Builder length(int words) {
            args.length = Output.of(words);
            return this;
        }

        public Builder separator(String separator) {
            args.separator = Output.of(separator);
            return this;
        }

        public Builder prefix(String prefix) {
            args.prefix = Output.of(prefix);
            return this;
        }

        public RandomPetArgs build() {
            return args;
        }
    }
}
