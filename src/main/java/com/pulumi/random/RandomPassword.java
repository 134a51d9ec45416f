package com.pulumi.random;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;

import java.util.List;

/** {@code random:index/randomPassword:RandomPassword}: a generated secret string. */
@ResourceType(type = RandomPassword.TYPE)
public class RandomPassword extends CustomResource {

    public static final String TYPE = "random:index/randomPassword:RandomPassword";

    @Export(name = "result", refs = {String.class}, tree = "[0]")
    private Output<String> result;

    @Export(name = "length", refs = {Integer.class}, tree = "[0]")
    private Output<Integer> length;

    public RandomPassword(String name, RandomPasswordArgs args, CustomResourceOptions options) {
        super(TYPE, name, args, withDefaults(options));
    }

    public RandomPassword(String name, RandomPasswordArgs args) {
        this(name, args, null);
    }

    /** The generated value; always a secret. */
    public Output<String> result() {
        return result;
    }

    public Output<Integer> length() {
        return length;
    }

    private static CustomResourceOptions withDefaults(CustomResourceOptions options) {
        CustomResourceOptions defaults = CustomResourceOptions.builder()
                .version(RandomProvider.VERSION)
                .additionalSecretOutputs(List.of("result", "bcryptHash"))
                .build();
        return CustomResourceOptions.merge(defaults, options);
    }
}
