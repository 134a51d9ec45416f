package com.pulumi.random;

import com.pulumi.core.Output;
import com.pulumi.core.annotations.Export;
import com.pulumi.core.annotations.ResourceType;
import com.pulumi.resources.CustomResource;
import com.pulumi.resources.CustomResourceOptions;

/** {@code random:index/randomPet:RandomPet}: a generated pet name such as "crisp-mongoose". */
@ResourceType(type = RandomPet.TYPE)
public class RandomPet extends CustomResource {

    public static final String TYPE = "random:index/randomPet:RandomPet";

    public RandomPet(String name, RandomPetArgs args, CustomResourceOptions options) {
        super(TYPE, name, args, CustomResourceOptions.merge(
                CustomResourceOptions.builder().version(RandomProvider.VERSION).build(), options));
    }

    /** The pet name is the resource's id. */
    public Output<String> name() {
        return id();
    }
}
